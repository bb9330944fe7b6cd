/** A request's photos as thumbnails linking to the full-size display copies. */
export function RequestPhotos({ photos }: { photos: { id: string; displayKey: string; thumbnailKey: string }[] }) {
  if (photos.length === 0) return null;
  return (
    <ul className="cc-request-photos" aria-label="Photos">
      {photos.map((photo, i) => (
        <li key={photo.id}>
          <a href={`/photos/${photo.displayKey}`}>
            <img src={`/photos/${photo.thumbnailKey}`} alt={`Reported problem, view ${i + 1} (opens full size)`} loading="lazy" />
          </a>
        </li>
      ))}
    </ul>
  );
}
