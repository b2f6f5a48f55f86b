// The 中文 / English buttons, on the sign-in page and in the top bar.
import { el } from './dom.js';
import { lang, setLang, t } from './i18n.js';

// `tag` is the container's element; `changed` redraws the page in the new language.
export function languageButtons(tag, changed) {
  return el(
    tag,
    { class: 'lang' },
    ['zh', 'en'].map((code) =>
      el(
        'button',
        {
          type: 'button',
          class: lang() === code ? 'link active' : 'link',
          testid: `lang-${code}`,
          onclick: () => {
            setLang(code);
            changed();
          },
        },
        t(`lang.${code}`),
      ),
    ),
  );
}
