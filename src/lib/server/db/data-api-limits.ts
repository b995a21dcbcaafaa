/**
 * The most rows one Data API answer holds: Supabase's default `max_rows`, which the embedded
 * PostgREST sets too (PGRST_DB_MAX_ROWS). A longer list is read page by page.
 */
export const DATA_API_MAX_ROWS = 1000;
