import { applyBoardChange } from '/work/main/src/lib/boards/board-change.ts';
import { applyChangedEvent, diffViews } from '/work/main/src/lib/realtime/view-patch.ts';
const N = 1000;
const person = (i: number) => ({ key: 'k' + String(i).padStart(6, '0'), sort: 'a' + String(i).padStart(20, '0'), member_id: '00000000-0000-0000-0000-' + String(i).padStart(12, '0'), name: 'Kijker ' + i, status: 'going', guests: 0, promoted: false, demoted: false });
const gathering = { id: 'g', status: 'scheduled', cancellation_reason: null, starts_at: 'x', ends_at: 'y', place_name: null, place_address: null, sequence: 0 };
const summary = (n: number) => ({ gathering_id: 'g', going: n, people_going: n, waitlist: 0, maybe: 0, capacity: null, held_for_newcomers: 0, slots: [] });
const view = (n: number) => ({ audience: 'board', gathering, summary: summary(n), help_counts: [], people: Array.from({ length: n }, (_, i) => person(i)), pledges: [] });
let v = view(N);
let held = { audience: 'board', version: 1, view: v as any };
let state: any = applyBoardChange({ board: { summary: summary(0), people: [], pledges: [], mine: null, help: { counts: [], asks: [], offers: [] } } as any, gathering } as any, v as any, person(5).member_id);
const events: any[] = [];
for (let k = 0; k < 200; k++) {
  const next = view(N + k + 1);
  events.push(JSON.stringify({ topic: 't', audience: 'board', version: k + 2, base: k + 1, patch: diffViews(view(N + k) as any, next as any) }));
}
console.log('bytes', events[0].length);
for (const [label, withBoard] of [['patch only', false], ['patch+board', true], ['patch+board', true]] as const) {
  held = { audience: 'board', version: 1, view: view(N) as any };
  const t = performance.now();
  for (const e of events) {
    const ev = JSON.parse(e);
    held = applyChangedEvent(held, ev)!;
    if (withBoard) state = applyBoardChange(state, held.view as any, person(5).member_id);
  }
  console.log(label, ((performance.now() - t) / events.length * 1000).toFixed(1), 'us/change');
}
