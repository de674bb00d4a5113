/** A ceiling put under a new id for a key × provider × model another ceiling already holds. */
export class CeilingConflictError extends Error {
  override name = 'CeilingConflictError';

  constructor(
    readonly id: string,
    readonly existingId: string,
    readonly key: string,
    readonly provider: string,
    readonly model: string,
  ) {
    super(
      `Ceiling \`${id}\` is for key \`${key}\`, provider \`${provider}\`, model \`${model}\`, ` +
        `which ceiling \`${existingId}\` already holds`,
    );
  }
}
