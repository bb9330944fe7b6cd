import { useId } from 'react';
import type { LinksFunction } from '@remix-run/node';
import type { MapShape, StatewideMap as StatewideMapData } from '~/modules/geo/statewide-map.server';
import styles from '~/styles/statewide-map.css';
import { useTranslation } from 'react-i18next';

export const statewideMapStylesheet = styles;

export const statewideMapLinks: LinksFunction = () => [{ rel: 'stylesheet', href: statewideMapStylesheet }];

type ParticipatingTown = { name: string; accentColor: string };

export function StatewideMap({
  map,
  participating,
  hrefForTown,
}: {
  map: StatewideMapData;
  participating: ReadonlyMap<string, ParticipatingTown>;
  hrefForTown: (slug: string) => string;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const descId = useId();
  const otherTowns: MapShape[] = [];
  const participatingTowns: { shape: MapShape; town: ParticipatingTown }[] = [];
  for (const shape of map.shapes) {
    const town = participating.get(shape.slug);
    if (town) participatingTowns.push({ shape, town });
    else otherTowns.push(shape);
  }
  const participatingNames = participatingTowns.map(({ town }) => town.name).sort((a, b) => a.localeCompare(b));

  return (
    <figure className="statewide-map">
      {/* role="group", not "img": an img's children are presentational, which would hide the town links from screen readers. */}
      <svg
        role="group"
        aria-labelledby={titleId}
        aria-describedby={descId}
        viewBox={map.viewBox}
        width={map.width}
        height={map.height}
        fillRule="evenodd"
        strokeLinejoin="round"
      >
        <title id={titleId}>{t('statewideMap.mapOfMassachusettsCitiesAnd')}</title>
        <desc id={descId}>
          {participatingNames.length === 0
            ? t('statewideMap.noneParticipate', { total: map.shapes.length })
            : t('statewideMap.someParticipate', { count: participatingNames.length, total: map.shapes.length, names: participatingNames.join(', ') })}
        </desc>
        <g aria-hidden="true" fill="#dfe1e2" stroke="#a9aeb1" strokeWidth={0.5}>
          {otherTowns.map((shape) => (
            <path key={shape.slug} d={shape.path} />
          ))}
        </g>
        <g aria-hidden="true" stroke="#fff" strokeWidth={1}>
          {participatingTowns.map(({ shape, town }) => (
            <path key={shape.slug} d={shape.path} fill={town.accentColor} />
          ))}
        </g>
        {/* The links are a transparent layer over every fill: SVG has no z-index, so a focused town's
            outline would otherwise be painted over by participating neighbours drawn after it. */}
        <g fill="transparent" stroke="none">
          {participatingTowns.map(({ shape, town }) => (
            <a
              key={shape.slug}
              className="statewide-map__town"
              href={hrefForTown(shape.slug)}
              aria-label={t('statewideMap.nameOpenItsCommonwealthConnect', { name: town.name })}
            >
              <title>{town.name}</title>
              <path d={shape.path} />
            </a>
          ))}
        </g>
      </svg>
      <figcaption>{t('statewideMap.boundariesOfficeOfGeographicInformation')}</figcaption>
    </figure>
  );
}
