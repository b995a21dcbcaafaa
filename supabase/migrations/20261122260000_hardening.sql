-- Hardening found by the hostile-input and RLS-attack tests (issue 9).

-- Fellow attendees and coordinators may read a member's row (for names on a board), but not
-- when the member was last seen or joined: only the columns the app shows are readable.
revoke select on public.member from authenticated;
grant select (id, display_name, locale) on public.member to authenticated;
