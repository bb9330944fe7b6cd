import { renderToStaticMarkup } from 'react-dom/server';
import type { StatewideMap as StatewideMapData } from '~/modules/geo/statewide-map.server';
import { StatewideMap } from './statewide-map';

const map: StatewideMapData = {
  viewBox: '0 0 1000 626',
  width: 1000,
  height: 626,
  shapes: [
    { slug: 'somerville', name: 'Somerville', path: 'M10 10L20 10L20 20Z', labelX: 16.7, labelY: 13.3 },
    { slug: 'pittsfield', name: 'Pittsfield', path: 'M30 30L40 30L40 40Z', labelX: 36.7, labelY: 33.3 },
  ],
};

function render() {
  return renderToStaticMarkup(
    <StatewideMap
      map={map}
      participating={new Map([['somerville', { name: 'Somerville', accentColor: '#005ea2' }]])}
      hrefForTown={(slug) => `https://${slug}.example.org/`}
    />,
  );
}

describe('StatewideMap', () => {
  it('links a participating town to its site with an accessible name', () => {
    const html = render();
    expect(html).toContain(
      '<a class="statewide-map__town" href="https://somerville.example.org/" aria-label="Somerville: open its Commonwealth Connect site">',
    );
    expect(html).toContain('<title>Somerville</title><path d="M10 10L20 10L20 20Z">');
    expect(html).toContain('<path d="M10 10L20 10L20 20Z" fill="#005ea2">');
  });

  it('draws a non-participating town without a link, hidden from assistive technology', () => {
    const html = render();
    expect(html).not.toContain('pittsfield.example.org');
    expect(html).toMatch(/<g aria-hidden="true"[^>]*><path d="M30 30L40 30L40 40Z"><\/path><\/g>/);
  });

  it('names and describes the map and credits MassGIS', () => {
    const html = render();
    const labelledBy = html.match(/aria-labelledby="([^"]+)"/)![1];
    const describedBy = html.match(/aria-describedby="([^"]+)"/)![1];
    expect(html).toContain(
      `<title id="${labelledBy}">Map of Massachusetts cities and towns; participating towns are highlighted</title>`,
    );
    expect(html).toContain(`<desc id="${describedBy}">1 of the 2 cities and towns use Commonwealth Connect: Somerville.</desc>`);
    expect(html).toContain(
      '<figcaption>Boundaries: Office of Geographic Information (MassGIS), Commonwealth of Massachusetts</figcaption>',
    );
  });
});
