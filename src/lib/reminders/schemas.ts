import { z } from 'zod';

/** "Remind me the day before" on or off. */
export const reminderFormSchema = z.object({ on: z.enum(['yes', 'no'], { message: 'error_general_form' }) });
