import { renderToStaticMarkup } from 'react-dom/server';
import { PhotoPicker } from './photo-picker';

describe('PhotoPicker without JavaScript', () => {
  it('is the plain file input, labelled, with the limits in its hint', () => {
    const html = renderToStaticMarkup(<PhotoPicker heicReadable={false} />);
    expect(html).toContain('<label class="usa-label" for="photos">Photos (up to 3, optional)</label>');
    expect(html).toContain('<span class="usa-hint" id="photos-hint">JPEG, PNG, WebP or AVIF, up to 15 MB each.');
    expect(html).toContain('<input class="usa-file-input" id="photos" name="photos" type="file" accept="image/*" multiple="" aria-describedby="photos-hint"/>');
    expect(html).not.toContain('usa-form-group--error');
    expect(html).not.toContain('<ul');
  });

  it('names HEIC in the hint only when the server can read it', () => {
    expect(renderToStaticMarkup(<PhotoPicker heicReadable />)).toContain('JPEG, PNG, WebP, HEIC or AVIF, up to 15 MB each.');
  });

  it('shows the server’s message next to the field and points the input at it', () => {
    const html = renderToStaticMarkup(<PhotoPicker heicReadable={false} error="“IMG_0002.jpg”: This file is empty; choose the photo again." />);
    expect(html).toContain('usa-form-group cc-photo-picker usa-form-group--error');
    expect(html).toContain('<div id="photos-error" role="alert"><span class="usa-error-message">“IMG_0002.jpg”: This file is empty; choose the photo again.</span></div>');
    expect(html).toContain('aria-describedby="photos-hint photos-error" aria-invalid="true"');
  });
});
