// The diagnostic codes: their default severities and descriptions (package.json documents the same
// list for the settings), what quick fixes read from a diagnostic, and the severity settings.

import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { NICENESS_CODES } from '../core/niceness';
import { DiagnosticSetting, DocbookSettings } from '../settings';
import type { SchemaProblemData } from '../schema/validate';

export const DIAGNOSTIC_SOURCE = 'docbook';

export const DIAGNOSTIC_CODES: Record<string, { severity: DiagnosticSeverity; description: string }> = {
    'unresolved-id': { severity: DiagnosticSeverity.Error, description: 'A linkend, endterm, linkends, otherterm, startref or arearefs value that no xml:id of the file\'s books defines.' },
    'duplicate-id': { severity: DiagnosticSeverity.Error, description: 'The same xml:id twice in one assembled book (or twice in one file).' },
    'missing-include': { severity: DiagnosticSeverity.Error, description: 'An xi:include href naming a file that does not exist.' },
    'remote-include': { severity: DiagnosticSeverity.Information, description: 'An xi:include href URL that no catalog or URL mapping turns into a local file, so it cannot be checked.' },
    'unresolved-xpointer': { severity: DiagnosticSeverity.Error, description: 'An xi:include xpointer naming an id that the target file lacks.' },
    'include-cycle': { severity: DiagnosticSeverity.Error, description: 'A file that includes itself through a chain of xi:include.' },
    'schema': { severity: DiagnosticSeverity.Error, description: 'A DocBook 5 file that its RELAX NG schema (DocBook 5.1CR1, docbook.schema or <?xml-model?>) does not allow: an element or attribute not allowed there, an incomplete element, an invalid value. Each file on its own, xi:include checked as an element.' },
    'not-well-formed': { severity: DiagnosticSeverity.Error, description: 'The XML is not well-formed: libxml2, the build\'s parser, would stop here (the internal DTD subset and the entity rules included).' },
    'namespace-error': { severity: DiagnosticSeverity.Error, description: 'A namespace error (an undeclared prefix, a colon in a PI target): libxml2 reports it but goes on, with the element outside any namespace.' },
    'undefined-entity': { severity: DiagnosticSeverity.Error, description: 'An entity reference with no declaration in the DOCTYPE or the entity files it loads.' },
    'missing-image': { severity: DiagnosticSeverity.Warning, description: 'An imagedata fileref naming a file that does not exist.' },
    'unknown-glossterm': { severity: DiagnosticSeverity.Warning, description: 'A glossterm whose text (then @baseform) matches no glossentry exactly and case-sensitively.' },
    'renamed-folder': { severity: DiagnosticSeverity.Error, description: 'A path through a folder that the reorganisation of the manuals renamed or deleted.' },
    'orphan-file': { severity: DiagnosticSeverity.Information, description: 'A DocBook file that no book includes.' },
    'unknown-profile-value': { severity: DiagnosticSeverity.Information, description: 'A profiling attribute value (os, audience, …) outside the configured list.' },
    'unreadable-file': { severity: DiagnosticSeverity.Error, description: 'A .xml file that cannot be read as XML text (binary, too large, no permission).' },
    'outside-workspace': { severity: DiagnosticSeverity.Information, description: 'An xi:include (or a link in the workspace) leading outside the workspace folders and docbook.allowedRoots: not read.' },
    // The OpenStack gate's own checks (openstack-doc-test).
    'section-id': { severity: DiagnosticSeverity.Error, description: 'A DocBook 5 section without an xml:id (the OpenStack gate requires one on every section).' },
    'profile-conflict': { severity: DiagnosticSeverity.Error, description: 'An os or audience value outside the values of the nearest enclosing element profiled on the same attribute: no build shows that part.' },
    'trailing-whitespace': { severity: DiagnosticSeverity.Warning, description: 'Whitespace at the end of a line (gate niceness; an error in docbook-check).' },
    'tab': { severity: DiagnosticSeverity.Warning, description: 'A tab character (gate niceness; an error in docbook-check).' },
    'nbsp': { severity: DiagnosticSeverity.Warning, description: 'A literal no-break space (U+00A0) where &nbsp; is meant (gate niceness; an error in docbook-check).' },
    'inner-whitespace': { severity: DiagnosticSeverity.Warning, description: 'Whitespace right after <para>, <title>, <listitem>, … or right before its end tag, on the same line as a word (gate niceness; an error in docbook-check).' },
    'final-newline': { severity: DiagnosticSeverity.Warning, description: 'No newline at the end of the file (gate niceness; an error in docbook-check).' },
};

/** Codes that are warnings in the editor and errors in docbook-check, as the gate failed on them. */
export const GATE_NICENESS_CODES: readonly string[] = NICENESS_CODES;

/** What a quick fix needs, kept on the diagnostic (`data`). */
export type DiagnosticData =
    | { code: 'unresolved-id'; id: string }
    | { code: 'unknown-glossterm'; term: string; baseform?: string }
    | { code: 'renamed-folder'; written: string; oldFolder: string; newFolder: string | null; rewritten?: string }
    | { code: 'missing-include'; href: string; target: string }
    | { code: 'duplicate-id'; id: string }
    | { code: 'missing-image'; fileref: string; target: string }
    | ({ code: 'schema' } & SchemaProblemData);

const SEVERITY_BY_NAME: Record<string, DiagnosticSeverity> = {
    error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning,
    information: DiagnosticSeverity.Information, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

/** The severity a code has under the settings, or undefined when it is turned off. */
export function severityOf(code: string, settings: DocbookSettings): DiagnosticSeverity | undefined {
    const setting: DiagnosticSetting | undefined = settings.diagnostics[code];
    if (setting === false) return undefined;
    if (setting === undefined || setting === true) return DIAGNOSTIC_CODES[code]?.severity ?? DiagnosticSeverity.Error;
    return SEVERITY_BY_NAME[setting] ?? DIAGNOSTIC_CODES[code]?.severity;
}
