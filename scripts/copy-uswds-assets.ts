import { cp, rm } from 'node:fs/promises';

// USWDS's compiled CSS refers to its fonts and images by relative path, so the three folders
// are served side by side from public/uswds (generated, not committed).
const from = 'node_modules/@uswds/uswds/dist';
await rm('public/uswds', { recursive: true, force: true });
for (const folder of ['css', 'fonts', 'img']) await cp(`${from}/${folder}`, `public/uswds/${folder}`, { recursive: true });
