import { useTranslation } from 'react-i18next';
/** A request's photos as thumbnails linking to the full-size display copies. */
export function RequestPhotos({ photos }: { photos: { id: string; displayKey: string; thumbnailKey: string }[] }) {
  const { t } = useTranslation();
  if (photos.length === 0) return null;
  return (
    <ul className="cc-request-photos" aria-label={t('requestPhotos.photos')}>
      {photos.map((photo, i) => (
        <li key={photo.id}>
          <a href={`/photos/${photo.displayKey}`}>
            <img src={`/photos/${photo.thumbnailKey}`} alt={t('requestPhotos.photoAlt', { number: i + 1 })} loading="lazy" />
          </a>
        </li>
      ))}
    </ul>
  );
}
