-- socket.io's PostgreSQL adapter: app instances pass board events to each other through
-- LISTEN/NOTIFY, with larger payloads in this table. Server connections only.
create table identity.socket_io_attachments (
	id bigserial unique,
	created_at timestamptz default now(),
	payload bytea
);
alter table identity.socket_io_attachments enable row level security;
