import { z } from 'zod';
import { formText } from '../forms/forms.ts';

/** A proposed activity. Error messages are message keys (src/lib/i18n/messages). */
export const ideaFormSchema = z.object({
	title: z.string({ message: 'error_title_required' }).trim().min(1, 'error_title_required').max(120, 'error_title_too_long'),
	description: formText(2000, 'error_text_too_long'),
	kind: z.enum(['shared_dinner', 'themed_evening', 'repair_cafe', 'coffee_morning', 'walk', 'other'], { message: 'error_general_form' })
});
