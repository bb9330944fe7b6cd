import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { addChosenPhotos, checkChosenPhoto, checkPhotoPixels, HEAD_BYTES } from '~/modules/photos/chosen-photos';
import type { GpsPoint } from '~/modules/photos/exif-gps';
import type { ReportError } from '~/modules/requests/report-errors';
import { PHOTO_LIMIT_VALUES, PHOTO_LIMITS } from '~/modules/requests/report-limits';
import { fileLabel } from '~/utils/file-label';

export type PhotoPickerProps = {
  /** The server's worded refusal of the photos in the last post, shown until the photos change. */
  error?: string;
  /** Whether the server can decode HEIC (`canDecodeHeic`), so the hint and the checks say what it will. */
  heicReadable: boolean;
  /** A newly chosen JPEG says where it was taken (the first one that does): the form moves its pin. */
  onLocation?: (point: GpsPoint) => void;
};

type KeptPhoto = { key: number; file: File; url: string };

const FIELD = 'photos';

async function readHead(file: File): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  } catch {
    // A photo still in the cloud, or one the user revoked access to, cannot be read.
    return null;
  }
}

// DataTransfer is the one way to set an <input type=file>'s files from script.
function canEditFileList(): boolean {
  try {
    return typeof DataTransfer === 'function' && new DataTransfer().files !== undefined;
  } catch {
    return false;
  }
}

const sameFile = (a: File, b: File) => a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;

/**
 * The report form's photo field. Without JavaScript it is the plain file input with its hint and
 * the server's message. With it, chosen photos are checked before upload against the server's
 * limits (count, type, emptiness, size, pixels), shown as thumbnails with a remove button each,
 * added to rather than replaced by a second choice, and a JPEG's GPS is handed to `onLocation`.
 * The input's own file list is kept equal to the thumbnails, so the form posts what is shown.
 */
export function PhotoPicker({ error, heicReadable, onLocation }: PhotoPickerProps) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const kept = useRef<KeptPhoto[]>([]);
  const nextKey = useRef(1);
  const focusAfterRemoval = useRef<number | null>(null);
  const [enhanced, setEnhanced] = useState(false);
  const [photos, setPhotos] = useState<KeptPhoto[]>([]);
  const [problems, setProblems] = useState<ReportError[]>([]);
  const [unviewable, setUnviewable] = useState<ReadonlySet<number>>(new Set());
  const [status, setStatus] = useState('');
  const [errorSeenBeforeChange, setErrorSeenBeforeChange] = useState<string | undefined>();

  useEffect(() => setEnhanced(canEditFileList()), []);
  useEffect(() => () => kept.current.forEach((photo) => URL.revokeObjectURL(photo.url)), []);
  useEffect(() => {
    const removedAt = focusAfterRemoval.current;
    if (removedAt === null) return;
    focusAfterRemoval.current = null;
    const buttons = list.current?.querySelectorAll('button');
    (buttons?.[Math.min(removedAt, buttons.length - 1)] ?? input.current)?.focus();
  }, [photos]);

  function keep(next: KeptPhoto[]) {
    kept.current = next;
    setPhotos(next);
    const files = new DataTransfer();
    for (const photo of next) files.items.add(photo.file);
    if (input.current) input.current.files = files.files;
    setErrorSeenBeforeChange(error);
  }

  async function onChange(event: ChangeEvent<HTMLInputElement>) {
    if (!enhanced) return;
    // The browser replaced the input's files with the new choice; the kept ones go back in front.
    const chosen = Array.from(event.currentTarget.files ?? []).filter((file) => !kept.current.some((photo) => sameFile(photo.file, file)));
    const checked = await Promise.all(
      chosen.map(async (file) => {
        const head = file.size > 0 && file.size <= PHOTO_LIMITS.maxBytes ? await readHead(file) : null;
        return { photo: { file }, check: checkChosenPhoto({ name: file.name, size: file.size, head }, { heicReadable }) };
      }),
    );
    const selection = addChosenPhotos(kept.current.length, checked);
    const added = selection.added.map(({ file }) => ({ key: nextKey.current++, file, url: URL.createObjectURL(file) }));
    const next = [...kept.current, ...added];
    keep(next);
    setProblems(selection.errors);
    setStatus(added.length > 0 ? t('photoPicker.added', { count: added.length, total: next.length, max: PHOTO_LIMIT_VALUES.max }) : '');
    const located = selection.added.find((photo) => photo.gps)?.gps;
    if (located) onLocation?.(located);
  }

  function remove(key: number, because?: ReportError) {
    const index = kept.current.findIndex((photo) => photo.key === key);
    const gone = kept.current[index];
    if (!gone) return;
    URL.revokeObjectURL(gone.url);
    const next = kept.current.filter((photo) => photo.key !== key);
    keep(next);
    if (because) setProblems((current) => [...current, because]);
    else {
      // What was refused before is history once the resident works on the list.
      setProblems([]);
      focusAfterRemoval.current = index;
      setStatus(t('photoPicker.removed', { file: fileLabel(gone.file.name), total: next.length, max: PHOTO_LIMIT_VALUES.max }));
    }
  }

  const messages = [...(error && error !== errorSeenBeforeChange ? [error] : []), ...problems.map((problem) => t(`errors:report.${problem.code}`, problem.values))];
  const describedBy = [`${FIELD}-hint`, messages.length > 0 ? `${FIELD}-error` : null].filter(Boolean).join(' ');

  return (
    <div className={`usa-form-group cc-photo-picker${messages.length > 0 ? ' usa-form-group--error' : ''}`}>
      <label className="usa-label" htmlFor={FIELD}>
        {t('photoPicker.label', PHOTO_LIMIT_VALUES)}
      </label>
      <span className="usa-hint" id={`${FIELD}-hint`}>
        {t(heicReadable ? 'photoPicker.hintHeic' : 'photoPicker.hint', PHOTO_LIMIT_VALUES)}
      </span>
      <div id={`${FIELD}-error`} role="alert">
        {messages.map((message, i) => (
          <span className="usa-error-message" key={i}>
            {message}
          </span>
        ))}
      </div>
      <input
        ref={input}
        className="usa-file-input"
        id={FIELD}
        name={FIELD}
        type="file"
        accept="image/*"
        multiple
        onChange={onChange}
        aria-describedby={describedBy}
        aria-invalid={messages.length > 0 ? true : undefined}
      />
      {photos.length > 0 ? (
        <ul className="cc-photo-picker__list" ref={list} aria-label={t('photoPicker.chosenPhotos')}>
          {photos.map((photo, i) => {
            const values = { number: i + 1, file: fileLabel(photo.file.name) };
            return (
              <li className="cc-photo-picker__item" key={photo.key}>
                {unviewable.has(photo.key) ? (
                  <span className="cc-photo-picker__thumb" aria-hidden="true" />
                ) : (
                  <img
                    className="cc-photo-picker__thumb"
                    src={photo.url}
                    alt=""
                    onLoad={(e) => {
                      const tooLarge = checkPhotoPixels(photo.file.name, e.currentTarget.naturalWidth, e.currentTarget.naturalHeight);
                      if (tooLarge) remove(photo.key, tooLarge);
                    }}
                    // The server may still read what this browser cannot show (HEIC in most browsers).
                    onError={() => setUnviewable((current) => new Set(current).add(photo.key))}
                  />
                )}
                <span className="cc-photo-picker__name">{t('photoPicker.photoNumber', values)}</span>
                <button type="button" className="usa-button usa-button--outline cc-photo-picker__remove" aria-label={t('photoPicker.removePhoto', values)} onClick={() => remove(photo.key)}>
                  {t('photoPicker.remove')}
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <p className="usa-sr-only" role="status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}
