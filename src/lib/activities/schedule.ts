import type { Weekday } from '$lib/activities/vocabulary';
import { m } from '$lib/paraglide/messages';

export const weekdayLabel = (day: Weekday) =>
	({ MO: m.weekday_mo, TU: m.weekday_tu, WE: m.weekday_we, TH: m.weekday_th, FR: m.weekday_fr, SA: m.weekday_sa, SU: m.weekday_su })[day]();

export const monthWeekLabel = (n: number) =>
	(({ 1: m.month_week_1, 2: m.month_week_2, 3: m.month_week_3, 4: m.month_week_4, [-1]: m.month_week_last }) as Record<number, () => string>)[n]!();
