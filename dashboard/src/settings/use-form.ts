import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import type { Errors } from './validate';

export interface FormOptions<Values, Input> {
  empty: Values;
  validate(
    values: Values,
  ): { errors: Errors; input?: undefined } | { errors?: undefined; input: Input };
  /** Creates or updates (`id` set while editing); throws `ApiError` with the server's line. */
  save(input: Input, id: string | undefined): Promise<unknown>;
  /** The line shown once saved. */
  savedText(input: Input): string;
}

/**
 * One settings form: its values, the messages of fields that are wrong (checked before
 * anything is sent, first wrong field focused), the server's refusal, and editing an item.
 */
export function useForm<Values, Input>({
  empty,
  validate,
  save,
  savedText,
}: FormOptions<Values, Input>) {
  const [values, setValues] = useState<Values>(empty);
  const [editingId, setEditingId] = useState<string | undefined>(undefined);
  const [errors, setErrors] = useState<Errors>({});
  const [serverError, setServerError] = useState<string | undefined>(undefined);
  // 409: the item exists already; the form says how to change it instead.
  const [conflict, setConflict] = useState(false);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const [focusInvalid, setFocusInvalid] = useState(0);

  useEffect(() => {
    if (focusInvalid === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusInvalid]);

  const setField = (name: string, value: unknown) => {
    setValues((current) => ({ ...current, [name]: value }));
    setErrors((current) => {
      if (current[name] === undefined) return current;
      const { [name]: _, ...rest } = current;
      return rest;
    });
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setServerError(undefined);
    setConflict(false);
    setSaved(undefined);
    const result = validate(values);
    if (result.errors !== undefined) {
      setErrors(result.errors);
      setFocusInvalid((count) => count + 1);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await save(result.input, editingId);
      setSaved(savedText(result.input));
      setValues(empty);
      setEditingId(undefined);
    } catch (error) {
      setServerError((error as Error).message);
      setConflict(error instanceof ApiError && error.status === 409);
    } finally {
      setBusy(false);
    }
  };

  const edit = (id: string, itemValues: Values) => {
    setEditingId(id);
    setValues(itemValues);
    setErrors({});
    setServerError(undefined);
    setConflict(false);
    setSaved(undefined);
    formRef.current?.querySelector<HTMLElement>('input, select')?.focus();
  };

  const cancel = () => {
    setEditingId(undefined);
    setValues(empty);
    setErrors({});
    setServerError(undefined);
    setConflict(false);
  };

  return {
    values,
    setField,
    errors,
    serverError,
    conflict,
    saved,
    busy,
    editingId,
    formRef,
    onSubmit,
    edit,
    cancel,
  };
}
