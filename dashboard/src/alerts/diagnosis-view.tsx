import type { Cause, Diagnosis } from '@headroom/contract/wire';
import { formatFieldName, formatRatio } from '../format/format';

/** The five causes of 429s when scaling (DESIGN.md), as the cause badge names them. */
export const CAUSE_LABEL: Readonly<Record<Cause | 'none', string>> = {
  fan_out: 'fan-out',
  stacked_retries: 'stacked retries',
  graph_loop: 'graph loop',
  batch_too_large: 'batch too large',
  shared_key: 'shared key',
  none: 'no pattern',
};

/** Which of the five causes fits, the numbers behind it, and the fix as a snippet. */
export function DiagnosisView({ diagnosis }: { diagnosis: Diagnosis }) {
  const evidence = Object.entries(diagnosis.evidence);
  return (
    <div className="diagnosis" data-testid="diagnosis" data-cause={diagnosis.cause}>
      <p className="diagnosis-cause">
        <span className="tag tag-cause">
          cause: {CAUSE_LABEL[diagnosis.cause] ?? diagnosis.cause}
        </span>{' '}
        <strong>{diagnosis.title}</strong>
      </p>
      <p data-testid="diagnosis-summary">{diagnosis.summary}</p>
      {evidence.length > 0 && (
        <table className="evidence" data-testid="diagnosis-evidence">
          <caption>Evidence</caption>
          <tbody>
            {evidence.map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{formatFieldName(name)}</th>
                <td>{typeof value === 'number' ? formatRatio(value) : value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="diagnosis-fix">
        <strong>Fix:</strong> {diagnosis.fix.text}
      </p>
      {diagnosis.fix.snippet !== '' && (
        <pre data-testid="diagnosis-fix">
          <code>{diagnosis.fix.snippet}</code>
        </pre>
      )}
      {diagnosis.alternatives.length > 0 && (
        <p className="muted">
          Also consistent with:{' '}
          {diagnosis.alternatives.map((cause) => CAUSE_LABEL[cause] ?? cause).join(', ')}
        </p>
      )}
    </div>
  );
}

/** A stored transition's diagnosis is untyped JSON: use it only if it has the expected shape. */
export function asDiagnosis(value: unknown): Diagnosis | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const candidate = value as Partial<Diagnosis>;
  if (
    typeof candidate.cause !== 'string' ||
    typeof candidate.title !== 'string' ||
    typeof candidate.summary !== 'string' ||
    candidate.evidence === null ||
    typeof candidate.evidence !== 'object' ||
    candidate.fix === null ||
    typeof candidate.fix !== 'object' ||
    typeof candidate.fix.text !== 'string'
  )
    return undefined;
  return {
    cause: candidate.cause,
    title: candidate.title,
    summary: candidate.summary,
    evidence: candidate.evidence,
    fix: { text: candidate.fix.text, snippet: String(candidate.fix.snippet ?? '') },
    alternatives: Array.isArray(candidate.alternatives) ? candidate.alternatives : [],
  };
}
