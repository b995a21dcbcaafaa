-- Demo data for a fresh database: one neighbourhood with a few recurring activities and
-- their gatherings for the next twelve weeks, dated from today so the demo never goes stale.
-- The app loads this on an empty embedded database; `supabase db reset` loads it too.

insert into public.neighbourhood (id, slug, name, description, time_zone) values
	('00000000-0000-4000-8000-000000000001', 'de-linde', 'De Linde',
	 'Buren in De Linde organiseren samen etentjes, een repair café, koffie en wandelingen.',
	 'Europe/Amsterdam');

insert into public.member (id, display_name, locale) values
	('00000000-0000-4000-8000-0000000000a1', 'Fatima', 'nl'),
	('00000000-0000-4000-8000-0000000000a2', 'Henk', 'nl'),
	('00000000-0000-4000-8000-0000000000a3', 'Sanne', 'en');

insert into public.neighbourhood_member (neighbourhood_id, member_id, role) values
	('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', 'coordinator'),
	('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a2', 'member'),
	('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a3', 'member');

with first_day as (
	select current_date as today,
	       current_date + ((2 - extract(isodow from current_date)::int + 7) % 7) as tuesday,
	       current_date + ((4 - extract(isodow from current_date)::int + 7) % 7) as thursday,
	       current_date + ((7 - extract(isodow from current_date)::int + 7) % 7) as sunday,
	       date_trunc('month', current_date)::date
	         + ((6 - extract(isodow from date_trunc('month', current_date))::int + 7) % 7) + 7 as second_saturday
)
insert into public.activity (id, neighbourhood_id, title, kind, description, place_name, place_address,
	schedule_rrule, schedule_starts_at, schedule_time_zone, duration_minutes, capacity, created_by)
select * from (values
	('00000000-0000-4000-8000-0000000000b1'::uuid, '00000000-0000-4000-8000-000000000001'::uuid,
	 'Dinsdagdiner', 'shared_dinner'::public.activity_kind,
	 'Samen koken en eten. Iedereen is welkom; betaal wat je kunt.',
	 'Buurthuis De Linde', 'Lindeplein 4',
	 'FREQ=WEEKLY;BYDAY=TU', ((select tuesday from first_day) + time '18:00')::timestamp,
	 'Europe/Amsterdam', 150, 14, '00000000-0000-4000-8000-0000000000a1'::uuid),
	('00000000-0000-4000-8000-0000000000b2', '00000000-0000-4000-8000-000000000001',
	 'Repair Café', 'repair_cafe',
	 'Neem kapotte spullen mee. Samen maken we ze weer heel.',
	 'Bibliotheek De Linde', 'Lindelaan 12',
	 'FREQ=MONTHLY;BYDAY=2SA', ((select second_saturday from first_day) + time '10:00')::timestamp,
	 'Europe/Amsterdam', 180, null, '00000000-0000-4000-8000-0000000000a2'),
	('00000000-0000-4000-8000-0000000000b3', '00000000-0000-4000-8000-000000000001',
	 'Koffieochtend', 'coffee_morning',
	 'Een kop koffie en een praatje. Gratis.',
	 'Buurthuis De Linde', 'Lindeplein 4',
	 'FREQ=WEEKLY;BYDAY=TH', ((select thursday from first_day) + time '10:00')::timestamp,
	 'Europe/Amsterdam', 90, 20, '00000000-0000-4000-8000-0000000000a3'),
	('00000000-0000-4000-8000-0000000000b4', '00000000-0000-4000-8000-000000000001',
	 'Wandelen in het park', 'walk',
	 'Een rustige wandeling van een uur. Rolstoel kan mee.',
	 'Ingang Lindepark', 'Parkweg 1',
	 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SU', ((select sunday from first_day) + time '14:00')::timestamp,
	 'Europe/Amsterdam', 60, null, '00000000-0000-4000-8000-0000000000a1')
) as demo;

-- Gatherings for the next twelve weeks, at local wall-clock time in Amsterdam (so the
-- offset follows daylight-saving time).
insert into public.gathering (activity_id, occurrence_starts_at, starts_at, ends_at)
select a.id, local_start at time zone a.schedule_time_zone, local_start at time zone a.schedule_time_zone,
       (local_start + make_interval(mins => a.duration_minutes)) at time zone a.schedule_time_zone
from public.activity a
cross join lateral (
	select a.schedule_starts_at + make_interval(weeks => n * case when a.schedule_rrule like '%INTERVAL=2%' then 2 else 1 end) as local_start
	from generate_series(0, 11) as n
	where a.schedule_rrule like 'FREQ=WEEKLY%'
	union all
	-- The 2nd Saturday of this month and the next three.
	select (first_saturday + 7) + time '10:00'
	from generate_series(0, 3) as m,
	     lateral (select (date_trunc('month', current_date) + make_interval(months => m))::date as month_start) s,
	     lateral (select month_start + ((6 - extract(isodow from month_start)::int + 7) % 7) as first_saturday) f
	where a.schedule_rrule = 'FREQ=MONTHLY;BYDAY=2SA'
) occurrences
where local_start >= current_date;
