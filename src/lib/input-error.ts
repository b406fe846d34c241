/** An input the user must change: the message names the input and the fix. Thrown before anything irreversible. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`Input ${input}: ${message}`)
    this.name = 'InputError'
  }
}
