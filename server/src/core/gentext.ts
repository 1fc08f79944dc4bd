// Titles docbook-xsl generates for elements that have none of their own (common/en.xml): the
// preview shows them, and the book tree names untitled components (a `<glossary role="auto"/>`) by them.

export const DEFAULT_TITLES: Record<string, string> = {
    note: 'Note', tip: 'Tip', important: 'Important', warning: 'Warning', caution: 'Caution', danger: 'Danger',
    glossary: 'Glossary', bibliography: 'Bibliography', index: 'Index', setindex: 'Index', abstract: 'Abstract', preface: 'Preface',
    dedication: 'Dedication', colophon: 'Colophon', acknowledgements: 'Acknowledgements', toc: 'Table of Contents',
    partintro: '', legalnotice: '', revhistory: 'Revision History',
};
