import type { CategoryQuestion } from '#db/vocabulary';
import { hasControlCharacters } from '~/utils/control-characters';
import type { ReportError } from './report-errors';

export type Answers = Record<string, string | string[]>;
export type AnswerErrors = Record<string, ReportError>;

const TEXT_ANSWER_MAX = 500;

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
      if (q.required) errors[q.code] = { code: 'answer.required', values: { label: q.label } };
      continue;
    }
    // Before the type rules: a date parser, for one, ignores trailing control characters.
    if (values.some((v) => hasControlCharacters(v))) {
      errors[q.code] = { code: 'text.control_characters' };
      continue;
    }
    const choices = new Set((q.choices ?? []).map((c) => c.value));
    switch (q.type) {
      case 'text':
        if (values[0]!.length > TEXT_ANSWER_MAX) errors[q.code] = { code: 'answer.too_long', values: { max: TEXT_ANSWER_MAX } };
        else answers[q.code] = values[0]!;
        break;
      case 'number':
        if (!Number.isFinite(Number(values[0]))) errors[q.code] = { code: 'answer.not_a_number' };
        else answers[q.code] = String(Number(values[0]));
        break;
      case 'datetime':
        if (Number.isNaN(Date.parse(values[0]!))) errors[q.code] = { code: 'answer.not_a_datetime' };
        else answers[q.code] = values[0]!;
        break;
      case 'single':
        if (!choices.has(values[0]!)) errors[q.code] = { code: 'answer.choose_one' };
        else answers[q.code] = values[0]!;
        break;
      case 'multi':
        if (values.some((v) => !choices.has(v))) errors[q.code] = { code: 'answer.choose_from' };
        else answers[q.code] = [...new Set(values)];
        break;
    }
  }
  return { answers, errors };
}
