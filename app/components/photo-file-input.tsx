import { useTranslation } from 'react-i18next';
import { PHOTO_LIMIT_VALUES } from '~/modules/requests/report-limits';
import { describedBy, FieldGroup } from './form-field';

/**
 * A plain file input for staff forms (a caller's photos, completion photos): posted as multipart
 * without JavaScript and checked on the server by the same photo pipeline as residents' photos.
 */
export function PhotoFileInput({ id, label, max, error }: { id: string; label: string; max: number; error?: string }) {
  const { t } = useTranslation();
  const hint = t('photoFileInput.hint', { count: max, maxMegabytes: PHOTO_LIMIT_VALUES.maxMegabytes });
  return (
    <FieldGroup id={id} label={label} hint={hint} error={error}>
      <input
        className="usa-file-input"
        id={id}
        name="photos"
        type="file"
        accept="image/jpeg,image/png,image/webp,image/avif,image/heic,image/heif"
        multiple={max > 1}
        aria-describedby={describedBy(id, true, error)}
        aria-invalid={error ? true : undefined}
      />
    </FieldGroup>
  );
}
