// The build's glossary lookup, in one place: a glossterm links to the entries named by its text and,
// only when there are none, by its @baseform. Exact and case-sensitive, as docbook-xsl compares.

/** Entries a glossterm links to, given the lookup of one term in the glossterm's scope. */
export function glossEntriesFor<T>(text: string, baseform: string | undefined, entriesNamed: (term: string) => T[]): T[] {
    const byText = entriesNamed(text);
    if (byText.length || !baseform) return byText;
    return entriesNamed(baseform);
}
