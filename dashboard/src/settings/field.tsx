import { type ReactNode, useId } from 'react';

/**
 * A labelled input with its error: the message is linked with `aria-describedby` and the input
 * marked `aria-invalid`, so it is read with the field, not only shown in red.
 */
export function Field({
  label,
  name,
  value,
  error,
  hint,
  onChange,
  type = 'text',
  inputMode,
  placeholder,
}: {
  label: string;
  name: string;
  value: string;
  error: string | undefined;
  hint?: ReactNode;
  onChange: (name: string, value: string) => void;
  type?: 'text' | 'url';
  inputMode?: 'numeric' | 'decimal';
  placeholder?: string;
}) {
  const id = useId();
  const described = [
    hint === undefined ? '' : `${id}-hint`,
    error === undefined ? '' : `${id}-error`,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`field${error === undefined ? '' : ' field-invalid'}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        value={value}
        inputMode={inputMode}
        placeholder={placeholder}
        aria-invalid={error !== undefined}
        aria-describedby={described === '' ? undefined : described}
        onChange={(event) => onChange(name, event.target.value)}
      />
      {hint !== undefined && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error !== undefined && (
        <span
          id={`${id}-error`}
          className="field-error"
          data-testid="field-error"
          data-field={name}
        >
          {error}
        </span>
      )}
    </div>
  );
}

/** What the server said when it refused (its one line, as sent), or that the save went through. */
export function FormOutcome({
  error,
  saved,
  hint,
}: {
  error: string | undefined;
  saved: string | undefined;
  /** A line after the server's, on what to do instead. */
  hint?: string | undefined;
}) {
  return (
    <>
      {error !== undefined && (
        <div role="alert">
          <p className="form-error" data-testid="form-error">
            {error}
          </p>
          {hint !== undefined && <p className="hint">{hint}</p>}
        </div>
      )}
      <p className="form-saved" role="status" data-testid="form-saved">
        {saved ?? ''}
      </p>
    </>
  );
}

/** Save, and Cancel while an item of the list is being edited. */
export function FormActions({
  label,
  busy,
  editing,
  onCancel,
}: {
  label: string;
  busy: boolean;
  editing: boolean;
  onCancel: () => void;
}) {
  return (
    <div className="form-actions">
      <button type="submit" disabled={busy}>
        {label}
      </button>
      {editing && (
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel editing
        </button>
      )}
    </div>
  );
}

/** A list's errors: the last action's (a delete the server refused) and the load's. */
export function ListErrors({
  noun,
  actionError,
  loadError,
}: {
  noun: string;
  actionError: string | undefined;
  loadError: string | undefined;
}) {
  return (
    <>
      {actionError !== undefined && (
        <p className="form-error" role="alert">
          {actionError}
        </p>
      )}
      {loadError !== undefined && (
        <p className="form-error" role="alert">
          Could not load the {noun}: {loadError}
        </p>
      )}
    </>
  );
}

/** Edit and Delete for one item of a list; `what` names it for screen readers. */
export function RowActions({
  what,
  small = false,
  onEdit,
  onDelete,
}: {
  what: string;
  small?: boolean;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const size = small ? ' button-small' : '';
  return (
    <>
      <button
        type="button"
        className={`secondary${size}`}
        aria-label={`Edit ${what}`}
        onClick={onEdit}
      >
        Edit
      </button>
      <button
        type="button"
        className={`danger${size}`}
        aria-label={`Delete ${what}`}
        onClick={onDelete}
      >
        Delete
      </button>
    </>
  );
}
