import { CONTROL_CHARACTERS_MESSAGE, formText, pathParam, searchParamsOf, stripControlCharacters } from './control-characters';

const issuesOf = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues.map((i) => i.message) ?? [];

describe('formText', () => {
  it.each(['\u0000', '\u0007', '\u001b[2J', '\u007f', 'a\tb', 'a\nb', 'a\rb'])('a single-line field refuses %j', (text) => {
    expect(issuesOf(formText().safeParse(`x${text}`))).toEqual([CONTROL_CHARACTERS_MESSAGE]);
  });

  it('a multi-line field keeps tabs and line breaks and refuses the other controls', () => {
    expect(formText({ multiline: true }).parse('line\tone\r\nline two\n')).toBe('line\tone\r\nline two\n');
    expect(issuesOf(formText({ multiline: true }).safeParse('bell\u0007'))).toEqual([CONTROL_CHARACTERS_MESSAGE]);
  });

  it('accepts any other text, and chains with the field’s own rules', () => {
    expect(formText().trim().max(20).parse('  Café ☕ “quoted” \u00a0 ')).toBe('Café ☕ “quoted”');
    expect(issuesOf(formText({ required_error: 'Enter a name' }).safeParse(undefined))).toEqual(['Enter a name']);
  });
});

describe('searchParamsOf', () => {
  it('hands back clean query parameters', () => {
    expect(searchParamsOf(new Request('http://x.localhost/staff?q=a+b&status=open')).getAll('q')).toEqual(['a b']);
  });

  it.each(['q=%00', 'q=a%0Ab', '%1b=x', 'to=%7F'])('answers 400 for ?%s', (query) => {
    let thrown: unknown;
    try {
      searchParamsOf(new Request(`http://x.localhost/staff?${query}`));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(400);
  });
});

describe('pathParam', () => {
  it('hands back the segment, empty when missing, and answers 404 for one with control characters', () => {
    expect(pathParam({ code: 'pothole' }, 'code')).toBe('pothole');
    expect(pathParam({}, 'code')).toBe('');
    expect(() => pathParam({ code: 'pot\u0000hole' }, 'code')).toThrow(Response);
  });
});

describe('stripControlCharacters', () => {
  it('removes controls but keeps tabs and line breaks', () => {
    expect(stripControlCharacters('\u0000a\u0007b\u001b[0m\tc\r\nd\u007f')).toBe('ab[0m\tc\r\nd');
  });
});
