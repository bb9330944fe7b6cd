import type { CategoryQuestion } from '#db/vocabulary';
import { CONTROL_CHARACTERS_MESSAGE, hasControlCharacters } from '~/utils/control-characters';

export type Answers = Record<string, string | string[]>;
export type AnswerErrors = Record<string, string>;

/**
 * Checks answers against a category's questions (Open311 attribute types). Unknown keys are
 * dropped rather than stored, so nothing a client invents ends up in the request.
 */
export function validateAnswers(questions: CategoryQuestion[], raw: Record<string, string[]>): { answers: Answers; errors: AnswerErrors } {
  const answers: Answers = {};
  const errors: AnswerErrors = {};
  for (const q of questions) {
    const values = (raw[q.code] ?? []).map((v) => v.trim()).filter(Boolean);
    if (values.length === 0) {
      if (q.required) errors[q.code] = `Answer “${q.label}”`;
      continue;
    }
    // Before the type rules: a date parser, for one, ignores trailing control characters.
    if (values.some((v) => hasControlCharacters(v))) {
      errors[q.code] = CONTROL_CHARACTERS_MESSAGE;
      continue;
    }
    const choices = new Set((q.choices ?? []).map((c) => c.value));
    switch (q.type) {
      case 'text':
        if (values[0]!.length > 500) errors[q.code] = 'Use at most 500 characters';
        else answers[q.code] = values[0]!;
        break;
      case 'number':
        if (!Number.isFinite(Number(values[0]))) errors[q.code] = 'Enter a number';
        else answers[q.code] = String(Number(values[0]));
        break;
      case 'datetime':
        if (Number.isNaN(Date.parse(values[0]!))) errors[q.code] = 'Enter a date and time';
        else answers[q.code] = values[0]!;
        break;
      case 'single':
        if (!choices.has(values[0]!)) errors[q.code] = 'Choose one of the options';
        else answers[q.code] = values[0]!;
        break;
      case 'multi':
        if (values.some((v) => !choices.has(v))) errors[q.code] = 'Choose from the options';
        else answers[q.code] = [...new Set(values)];
        break;
    }
  }
  return { answers, errors };
}
