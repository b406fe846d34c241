// The awsJson1_1 services the simulators play (Secrets Manager, Parameter Store), checked against their Smithy models:
// the vendored model extracts in test/specs are loaded here, every request body is checked against its operation's
// input shape and every answer against the output shape, and one request handler does the protocol (POST /,
// X-Amz-Target, the JSON media type, a SigV4 header of the right service) for each simulator, which brings only its
// operations, its state and its denials. Issues name member paths and constraints, never values.
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import {
  header,
  mediaType,
  mergeHeaders,
  serveFault,
  startLoopbackServer,
  type FaultQueue,
  type HandlerResult,
  type LoopbackServer,
  type SimRequest,
  type SimResponse,
} from './http.ts'

const JSON_11 = 'application/x-amz-json-1.1'

// ---------------------------------------------------------------------------------------------------------------
// The model and the shape check

interface SmithyMember {
  target: string
  traits?: Record<string, unknown>
}

interface SmithyShape {
  type: string
  members?: Record<string, SmithyMember>
  member?: SmithyMember
  key?: SmithyMember
  value?: SmithyMember
  traits?: Record<string, unknown>
  input?: { target: string }
  output?: { target: string }
  errors?: { target: string }[]
  operations?: { target: string }[]
}

export interface Issue {
  /** serialization: the body cannot be read as the shape; validation: it can, but breaks a constraint trait. */
  kind: 'serialization' | 'validation'
  path: string
  message: string
}

export interface Model {
  /** The service shape's name: the X-Amz-Target prefix. */
  serviceName: string
  namespace: string
  shapes: Record<string, SmithyShape>
  operations: Map<string, SmithyShape>
}

/** Prelude shapes a model may target directly. */
const PRELUDE: Record<string, string> = {
  String: 'string',
  Blob: 'blob',
  Boolean: 'boolean',
  PrimitiveBoolean: 'boolean',
  Byte: 'byte',
  PrimitiveByte: 'byte',
  Short: 'short',
  PrimitiveShort: 'short',
  Integer: 'integer',
  PrimitiveInteger: 'integer',
  Long: 'long',
  PrimitiveLong: 'long',
  Float: 'float',
  PrimitiveFloat: 'float',
  Double: 'double',
  PrimitiveDouble: 'double',
  BigInteger: 'bigInteger',
  BigDecimal: 'bigDecimal',
  Timestamp: 'timestamp',
  Document: 'document',
}

const INTEGER_RANGES: Record<string, [number, number]> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  bigInteger: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

const modelCache = new Map<string, Promise<Model>>()

/** The model at `location`, read once per process. */
export function loadModel(location: string | URL): Promise<Model> {
  const key = String(location)
  let m = modelCache.get(key)
  if (!m) {
    m = readFile(location, 'utf8').then(parseModel, (err: unknown) => {
      modelCache.delete(key)
      throw new Error(`smithy: cannot read the Smithy model at ${key}: ${String(err)}`)
    })
    modelCache.set(key, m)
  }
  return m
}

function parseModel(text: string): Model {
  // A Smithy JSON AST keeps the service among its shapes; the trimmed extract keeps it beside them, under `service`.
  const json = JSON.parse(text) as { shapes?: Record<string, SmithyShape>; service?: Record<string, SmithyShape> }
  const shapes = { ...json.shapes, ...json.service }
  const services = Object.entries(shapes).filter(([, s]) => s.type === 'service')
  if (services.length !== 1) throw new Error(`smithy: expected one service shape in the model, found ${services.length}`)
  const [serviceId, service] = services[0]!
  const [namespace, serviceName] = serviceId.split('#') as [string, string]
  const operations = new Map<string, SmithyShape>()
  for (const { target } of service.operations ?? []) {
    const op = shapes[target]
    if (op?.type === 'operation') operations.set(target.split('#')[1]!, op)
  }
  return { serviceName, namespace, shapes, operations }
}

/** The shape a target names, with the prelude resolved. */
function shapeOf(model: Model, target: string): SmithyShape {
  const s = model.shapes[target]
  if (s) return s
  const prelude = target.startsWith('smithy.api#') ? PRELUDE[target.slice('smithy.api#'.length)] : undefined
  if (prelude) return { type: prelude }
  throw new Error(`smithy: the model has no shape ${target}`)
}

export const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)

/**
 * A pattern trait as a RegExp. Smithy patterns are ECMA 262 with Unicode semantics (tag patterns use \p{L}), so the
 * u flag; the few patterns that are not valid with it are read as written.
 */
function patternOf(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u')
  } catch {
    return new RegExp(pattern)
  }
}

/**
 * Checks `value` against the shape `target` (plus the traits of the member that points at it), as a server
 * deserializing and validating awsJson1_1 would. Issues carry member paths and constraints, never values: members
 * such as SecretString are sensitive.
 */
export function checkShape(
  model: Model,
  target: string,
  memberTraits: Record<string, unknown>,
  value: unknown,
  path: string,
  out: Issue[],
): void {
  const shape = shapeOf(model, target)
  const traits = { ...shape.traits, ...memberTraits }
  const here = path === '' ? 'the body' : path
  const serialization = (message: string) => out.push({ kind: 'serialization', path: here, message })
  const validation = (message: string) => out.push({ kind: 'validation', path: here, message })
  const length = traits['smithy.api#length'] as { min?: number; max?: number } | undefined
  const checkLength = (n: number, unit: string) => {
    if (length?.min !== undefined && n < length.min) validation(`${unit} ${n} is below the minimum ${length.min}`)
    if (length?.max !== undefined && n > length.max) validation(`${unit} ${n} is above the maximum ${length.max}`)
  }
  const expect = (type: string): boolean => {
    if (jsonType(value) === type) return true
    serialization(`must be a JSON ${type} (${shape.type}), got ${jsonType(value)}`)
    return false
  }

  switch (shape.type) {
    case 'structure':
    case 'union': {
      if (!expect('object')) return
      const obj = value as Record<string, unknown>
      const members = shape.members ?? {}
      const shapeName = target.split('#')[1] ?? target
      for (const key of Object.keys(obj)) {
        if (!Object.hasOwn(members, key)) serialization(`'${key}' is not a member of ${shapeName}`)
      }
      let set = 0
      for (const [name, member] of Object.entries(members)) {
        const p = path === '' ? name : `${path}.${name}`
        if (!Object.hasOwn(obj, name)) {
          if (member.traits?.['smithy.api#required'] !== undefined && shape.type === 'structure') {
            out.push({ kind: 'validation', path: p, message: 'is required but missing' })
          }
          continue
        }
        set++
        if (obj[name] === null) {
          out.push({ kind: 'serialization', path: p, message: 'must not be null' })
          continue
        }
        checkShape(model, member.target, member.traits ?? {}, obj[name], p, out)
      }
      if (shape.type === 'union' && set !== 1) serialization(`a union must set exactly one member, ${set} set`)
      return
    }
    case 'list':
    case 'set': {
      if (!expect('array')) return
      const items = value as unknown[]
      checkLength(items.length, 'item count')
      items.forEach((item, i) => {
        if (item === null) out.push({ kind: 'serialization', path: `${path}[${i}]`, message: 'must not be null' })
        else checkShape(model, shape.member!.target, shape.member!.traits ?? {}, item, `${path}[${i}]`, out)
      })
      if (shape.type === 'set' || traits['smithy.api#uniqueItems'] !== undefined) {
        if (new Set(items.map((i) => JSON.stringify(i))).size !== items.length) validation('items must be unique')
      }
      return
    }
    case 'map': {
      if (!expect('object')) return
      const entries = Object.entries(value as Record<string, unknown>)
      checkLength(entries.length, 'entry count')
      for (const [k, v] of entries) {
        checkShape(model, shape.key!.target, shape.key!.traits ?? {}, k, `${path}{key}`, out)
        if (v === null) out.push({ kind: 'serialization', path: `${path}{value}`, message: 'must not be null' })
        else checkShape(model, shape.value!.target, shape.value!.traits ?? {}, v, `${path}{value}`, out)
      }
      return
    }
    case 'string':
    case 'enum': {
      if (!expect('string')) return
      const s = value as string
      // Smithy counts a string's length in Unicode code points.
      checkLength([...s].length, 'length')
      const pattern = traits['smithy.api#pattern']
      if (typeof pattern === 'string' && !patternOf(pattern).test(s)) validation(`does not match the pattern ${pattern}`)
      const allowed =
        shape.type === 'enum'
          ? Object.values(shape.members ?? {}).map((m) => m.traits?.['smithy.api#enumValue'])
          : (traits['smithy.api#enum'] as { value: string }[] | undefined)?.map((e) => e.value)
      if (allowed && !allowed.includes(s)) validation(`must be one of ${allowed.join(', ')}`)
      return
    }
    case 'blob': {
      if (!expect('string')) return
      const s = value as string
      if (!BASE64.test(s)) {
        serialization('must be base64')
        return
      }
      checkLength(Buffer.from(s, 'base64').length, 'byte length')
      return
    }
    case 'boolean':
      expect('boolean')
      return
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
    case 'bigInteger':
    case 'intEnum':
    case 'float':
    case 'double':
    case 'bigDecimal': {
      const isFloat = shape.type === 'float' || shape.type === 'double' || shape.type === 'bigDecimal'
      // awsJson sends non-finite floats as these strings.
      if (isFloat && (value === 'NaN' || value === 'Infinity' || value === '-Infinity')) return
      if (!expect('number')) return
      const n = value as number
      if (!isFloat) {
        const [lo, hi] = INTEGER_RANGES[shape.type] ?? INTEGER_RANGES.integer!
        if (!Number.isInteger(n) || n < lo || n > hi) {
          serialization(`must be a ${shape.type}`)
          return
        }
      }
      const range = traits['smithy.api#range'] as { min?: number; max?: number } | undefined
      if (range?.min !== undefined && n < range.min) validation(`${n} is below the minimum ${range.min}`)
      if (range?.max !== undefined && n > range.max) validation(`${n} is above the maximum ${range.max}`)
      if (shape.type === 'intEnum') {
        const allowed = Object.values(shape.members ?? {}).map((m) => m.traits?.['smithy.api#enumValue'])
        if (!allowed.includes(n)) validation(`must be one of ${allowed.join(', ')}`)
      }
      return
    }
    case 'timestamp':
      // awsJson's default timestamp format: epoch seconds as a number.
      if (expect('number') && !Number.isFinite(value)) serialization('must be epoch seconds')
      return
    case 'document':
      return
    default:
      throw new Error(`smithy: shape type ${shape.type} (${target}) is not supported`)
  }
}

/** The issues of `input` against an operation's input shape, as text: for the simulators' setup helpers. */
export function inputIssues(model: Model, operation: string, input: Record<string, unknown>): string[] {
  const issues: Issue[] = []
  // Through JSON, as a request would be: undefined members disappear.
  checkShape(model, model.operations.get(operation)!.input!.target, {}, JSON.parse(JSON.stringify(input)), '', issues)
  return issues.map((i) => `${i.path}: ${i.message}`)
}

// ---------------------------------------------------------------------------------------------------------------
// The wire

/** An answer in the making: a model error (status from the model), or a protocol-level error with its own status. */
export class ServiceError extends Error {
  readonly type: string
  /** Set for errors the model does not define (their status is the service's, not the model's). */
  readonly status: number | undefined

  constructor(type: string, message: string, status?: number) {
    super(message)
    this.type = type
    this.status = status
  }
}

export type Input = Record<string, unknown>
export type Output = Record<string, unknown>

/** One request that named a known operation and carried a JSON object body. */
export interface AwsJsonCall<Op extends string> {
  operation: Op
  /** The parsed body. May hold secret values: assert on it, never print it. */
  input: Input
  /** From the SigV4 Credential; undefined when the request was not signed. */
  accessKeyId: string | undefined
}

export interface AwsJsonServiceOptions<Op extends string> {
  /** Prefix of the errors a simulator bug throws, e.g. 'ssm sim'. */
  label: string
  model: Model
  /** The service the SigV4 Credential must be scoped to (the model's aws.auth#sigv4 name). */
  signingName: string
  /** One function per operation the simulator answers: the output, or a thrown ServiceError. */
  operations: Record<Op, (input: Input) => Output>
  faults: FaultQueue<Op | '*'>
  /** AccessDeniedException's message when this caller may not call the operation with this input; undefined: allowed. */
  denied(operation: Op, input: Input, accessKeyId: string): string | undefined
}

export interface AwsJsonService<Op extends string> {
  server: LoopbackServer
  /** One line per way a request departed from the protocol or the model's input shapes (never a value). */
  violations: string[]
  calls: AwsJsonCall<Op>[]
}

/**
 * The answer for an error: a model error gets the status its shape implies and its message under the shape's own
 * member, and must be in the operation's error list; an error the model lacks (status set) is sent as it is.
 */
export function errorAnswer(model: Model, label: string, operation: string | undefined, e: ServiceError): SimResponse {
  if (e.status !== undefined) return { status: e.status, body: { __type: e.type, message: e.message } }
  const listed = operation === undefined ? [] : (model.operations.get(operation)?.errors ?? []).map((t) => t.target.split('#')[1])
  if (!listed.includes(e.type)) throw new Error(`${label}: ${operation ?? '?'} cannot answer ${e.type} (not in its error list)`)
  const shape = model.shapes[`${model.namespace}#${e.type}`]
  const kind = shape?.traits?.['smithy.api#error']
  if (!kind) throw new Error(`${label}: ${e.type} is not an error shape of the model`)
  // Without httpError, Smithy's default applies: client 400, server 500 (awsQueryError codes are the query protocol's).
  const explicit = shape.traits!['smithy.api#httpError']
  const status = typeof explicit === 'number' ? explicit : kind === 'client' ? 400 : 500
  // The JSON protocol sends members under their own names: Message in some shapes, message in others, none in a few.
  const member = Object.keys(shape.members ?? {}).find((m) => m.toLowerCase() === 'message')
  return { status, body: { __type: e.type, ...(member && { [member]: e.message }) } }
}

/**
 * A loopback server speaking awsJson1_1 for `operations`: every departure from the protocol or the input shapes
 * is a violation, answered as the service would (SerializationException, ValidationException, …); queued faults
 * come next, then authentication, denials and the operation, whose output must match the model (a simulator that
 * drifts from it answers 500).
 */
export async function startAwsJsonService<Op extends string>(opts: AwsJsonServiceOptions<Op>): Promise<AwsJsonService<Op>> {
  const { label, model, operations, faults } = opts
  const violations: string[] = []
  const calls: AwsJsonCall<Op>[] = []

  const protocolError = (type: string, status: number, message: string): ServiceError => new ServiceError(type, message, status)

  /** The access key id of a SigV4 Authorization header, or the error the service gives instead. */
  const authenticate = (req: SimRequest): string | ServiceError => {
    const auth = header(req.headers, 'authorization')
    if (auth === undefined) return protocolError('MissingAuthenticationToken', 403, 'Missing Authentication Token')
    const m = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request\s*,/.exec(auth)
    if (!m || !/SignedHeaders=[^,\s]+/.test(auth) || !/Signature=[0-9a-f]+/.test(auth)) {
      return protocolError(
        'IncompleteSignature',
        400,
        'The Authorization header is not a SigV4 header with Credential, SignedHeaders and Signature.',
      )
    }
    if (m[4] !== opts.signingName) {
      return protocolError('InvalidSignatureException', 400, `Credential should be scoped to the service '${opts.signingName}'.`)
    }
    return m[1]!
  }

  const violation = (operation: string | undefined, issue: string): void => {
    violations.push(`${operation ?? '(no operation)'}: ${issue}`)
  }

  /** Routes, checks and answers one request; throws ServiceError for errors the service would send. */
  const respond = async (req: SimRequest): Promise<HandlerResult> => {
    const targetHeader = header(req.headers, 'x-amz-target') ?? ''
    const dot = targetHeader.lastIndexOf('.')
    const opName = targetHeader.slice(dot + 1)
    const known =
      dot !== -1 && targetHeader.slice(0, dot) === model.serviceName && Object.hasOwn(operations, opName) && model.operations.has(opName)
    const operation = known ? (opName as Op) : undefined

    // Protocol: every departure is a violation; the first decides the answer.
    const problems: ServiceError[] = []
    const protocol = (type: string, message: string) => {
      violation(operation, message)
      problems.push(protocolError(type, 400, message))
    }
    if (req.method !== 'POST') protocol('UnknownOperationException', `the method must be POST, got ${req.method}`)
    if (req.pathname !== '/') protocol('UnknownOperationException', `the path must be /, got ${req.pathname}`)
    if (!operation) {
      protocol(
        'UnknownOperationException',
        targetHeader === '' ? 'X-Amz-Target is missing' : `X-Amz-Target names no operation of the model: ${targetHeader}`,
      )
    }
    if (mediaType(req.headers) !== JSON_11)
      protocol('SerializationException', `Content-Type must be ${JSON_11}, got '${mediaType(req.headers)}'`)

    let input: Input | undefined
    if (req.bodyTooLarge) protocol('SerializationException', 'the body is larger than the simulator reads')
    else {
      let parsed: unknown
      try {
        parsed = JSON.parse(req.body)
      } catch {
        protocol('SerializationException', 'the body is not JSON')
      }
      if (parsed !== undefined) {
        if (jsonType(parsed) === 'object') input = parsed as Input
        else protocol('SerializationException', `the body must be a JSON object, got ${jsonType(parsed)}`)
      }
    }

    const auth = authenticate(req)
    const accessKeyId = typeof auth === 'string' ? auth : undefined

    // Shapes: the input structure, all of it.
    if (operation && input) {
      calls.push({ operation, input, accessKeyId })
      const issues: Issue[] = []
      checkShape(model, model.operations.get(operation)!.input!.target, {}, input, '', issues)
      for (const i of issues) violation(operation, `${i.path}: ${i.message}`)
      const serialization = issues.filter((i) => i.kind === 'serialization')
      if (serialization.length > 0) {
        problems.push(protocolError('SerializationException', 400, serialization.map((i) => `${i.path}: ${i.message}`).join('; ')))
      } else if (issues.length > 0) {
        const detail = issues.map((i) => `Value at '${i.path}' failed to satisfy constraint: ${i.message}`).join('; ')
        problems.push(
          protocolError('ValidationException', 400, `${issues.length} validation error${issues.length > 1 ? 's' : ''} detected: ${detail}`),
        )
      }
    }

    if (operation) {
      const fault = faults.take((t) => t === '*' || t === operation)
      if (fault) return serveFault(server, fault, {})
    }
    // The service checks the signature before it reads the request.
    if (typeof auth !== 'string') throw auth
    if (problems.length > 0) throw problems[0]!
    // AccessDeniedException is in no operation's error list; the services answer it with 400.
    const refusal = opts.denied(operation!, input!, auth)
    if (refusal !== undefined) throw protocolError('AccessDeniedException', 400, refusal)
    const output = operations[operation!](input!)
    const issues: Issue[] = []
    checkShape(model, model.operations.get(operation!)!.output!.target, {}, output, '', issues)
    if (issues.length > 0) {
      throw new Error(`${label}: ${operation} output breaks the model: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`)
    }
    return { status: 200, body: JSON.stringify(output) }
  }

  const handle = async (req: SimRequest): Promise<HandlerResult> => {
    let result: HandlerResult
    try {
      result = await respond(req)
    } catch (e) {
      if (!(e instanceof ServiceError)) throw e
      // Only model errors (no own status) need the operation, and those come from a routed request.
      result = errorAnswer(model, label, (header(req.headers, 'x-amz-target') ?? '').split('.').pop(), e)
    }
    if (result === 'hang') return result
    const base: Record<string, string> = { 'x-amzn-RequestId': randomUUID() }
    if (result.body !== undefined) base['content-type'] = JSON_11
    return { ...result, headers: mergeHeaders(base, result.headers) }
  }

  const server: LoopbackServer = await startLoopbackServer(handle)
  return { server, violations, calls }
}
