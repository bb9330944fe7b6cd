import { useTranslation } from 'react-i18next';
import type { RequestStatus } from '#db/vocabulary';

type Photo = { id: string; displayKey: string; thumbnailKey: string };

/** A request's photos as thumbnails linking to the full-size display copies. */
export function RequestPhotos({ photos, label, alt }: { photos: Photo[]; label?: string; alt?: (number: number) => string }) {
  const { t } = useTranslation();
  if (photos.length === 0) return null;
  return (
    <ul className="cc-request-photos" aria-label={label ?? t('requestPhotos.photos')}>
      {photos.map((photo, i) => (
        <li key={photo.id}>
          <a href={`/photos/${photo.displayKey}`}>
            <img src={`/photos/${photo.thumbnailKey}`} alt={alt ? alt(i + 1) : t('requestPhotos.photoAlt', { number: i + 1 })} loading="lazy" />
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Longest closing note an image's alternative text quotes: a screen reader reads the note in full just above. */
const ALT_NOTE_MAX = 120;

/** The photos staff attached to one timeline event (completion photos), described by that event. */
export function EventPhotos({ event }: { event: { toStatus: RequestStatus | null; message: string | null; photos: Photo[] } }) {
  const { t } = useTranslation();
  const update = event.toStatus ? t(`requestStatus.${event.toStatus}`) : t('requestPhotos.update');
  const note = event.message ? (event.message.length > ALT_NOTE_MAX ? `${event.message.slice(0, ALT_NOTE_MAX - 1)}…` : event.message) : null;
  return (
    <RequestPhotos
      photos={event.photos}
      label={t('requestPhotos.eventPhotos', { update })}
      alt={(number) => (note ? t('requestPhotos.eventPhotoAltWithNote', { number, update, note }) : t('requestPhotos.eventPhotoAlt', { number, update }))}
    />
  );
}
