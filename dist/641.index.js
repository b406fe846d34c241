export const id = 641;
export const ids = [641];
export const modules = {

/***/ 9103:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lr: () => (/* binding */ INVALID_CREDENTIALS),
/* harmony export */   fv: () => (/* binding */ errorCodes),
/* harmony export */   p8: () => (/* binding */ CREDENTIALS_FIX)
/* harmony export */ });
/**
 * What the AWS adapters say when AWS refuses the credentials themselves rather than a permission: a list of IAM
 * actions would send the reader the wrong way. Pure: no SDK import, so any adapter can use it.
 */
/** Error names and codes with which AWS refuses the credentials (STS, SQS and Secrets Manager spell them differently). */
const INVALID_CREDENTIALS = /^(InvalidClientTokenId|UnrecognizedClient(Exception)?|ExpiredToken(Exception)?|SignatureDoesNotMatch|InvalidSignature(Exception)?|IncompleteSignature(Exception)?|InvalidAccessKeyId|MissingAuthenticationToken)$/;
/** The fix, as the end of a sentence that begins with what AWS refused. */
const CREDENTIALS_FIX = 'the AWS credentials are invalid or expired. Check the aws-actions/configure-aws-credentials step before this one ' +
    '(role-to-assume, aws-region), and that the session outlasts the job: its role-duration-seconds (default 3600) ' +
    "within the role's maximum session duration. Keys set by hand (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) must belong together and be current.";
/** The error's name and, when the SDK keeps one, its query-protocol code (SQS's KMS.AccessDeniedException). */
function errorCodes(error) {
    const { name, Code } = error;
    return [name, Code].filter((c) => typeof c === 'string' && c !== '');
}


/***/ }),

/***/ 2641:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createSecretsManagerStore: () => (/* binding */ createSecretsManagerStore)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2994);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _net_proxy_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4772);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9103);
/* harmony import */ var _lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7265);
/* harmony import */ var _core_targets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(277);
/**
 * AWS Secrets Manager targets, through @aws-sdk/client-secrets-manager (credentials, region and endpoint
 * from the SDK's usual chain, as for the queue; AWS_ENDPOINT_URL_SECRETS_MANAGER is honoured). A write is
 * PutSecretValue with a ClientRequestToken derived from the notification, so a re-run that resumes the same
 * message repeats the same version; AWSCURRENT moves to it and AWSPREVIOUS keeps the old secret, which stays
 * valid for 7 days. This module is loaded only when a Secrets Manager target is listed.
 */






class SecretsManagerError extends Error {
    name = 'SecretsManagerError';
}
function createSecretsManagerStore(options) {
    const clients = new Map();
    /** One write per secret and rotation, shared by the #KEY targets that name it. */
    const writes = new Map();
    const client = (target) => {
        const region = (0,_core_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .awsRegionOf */ .jy)(target) ?? options.region;
        if (!region)
            throw new Error(`${(0,_core_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .formatScope */ .gk)(target)}: no AWS region: name the secret by its ARN, or set AWS_REGION.`);
        let c = clients.get(region);
        if (!c) {
            c = new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__/* .SecretsManagerClient */ ._H({
                region,
                maxAttempts: 5,
                // Through the runner's proxy, if it sets one.
                requestHandler: (0,_net_proxy_js__WEBPACK_IMPORTED_MODULE_1__/* .awsRequestHandler */ .lk)({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
            });
            clients.set(region, c);
        }
        return c;
    };
    const aws = (target) => {
        if (target.kind !== 'aws-secretsmanager')
            throw new Error(`${(0,_core_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .formatScope */ .gk)(target)} is not a Secrets Manager target`);
        return target;
    };
    const send = async (target, action, run) => {
        try {
            return await run();
        }
        catch (error) {
            // The SDK's error is not kept as the cause: it carries the raw response, which nothing may print.
            throw new SecretsManagerError(explain(target, action, error));
        }
    };
    /**
     * The JSON object a #KEY target holds now. The value of the key this action replaces (the previous client
     * secret, still valid for 7 days) is masked before anything could print it. The rest is never printed, and
     * is not masked: the runner masks each line of a value separately, so the document or its other short values
     * (`{`, `true`, `prod`) would blank those strings out of every later log line.
     */
    async function currentObject(target, replacing = [target.key]) {
        const { SecretString } = await send(target, 'GetSecretValue', () => client(target).send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__/* .GetSecretValueCommand */ .d2({ SecretId: target.secretId })));
        if (SecretString) {
            let value;
            try {
                value = JSON.parse(SecretString);
            }
            catch {
                value = undefined;
            }
            if (value && typeof value === 'object' && !Array.isArray(value)) {
                for (const key of replacing) {
                    const replaced = key === undefined ? undefined : value[key];
                    if (typeof replaced === 'string' && replaced)
                        options.mask(replaced);
                }
                return value;
            }
        }
        throw new Error(`${(0,_core_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .formatScope */ .gk)(target)}: the secret's value is not a JSON object, so key ${target.key} cannot be set in it. ` +
            `Store a JSON object there, or use aws-secretsmanager:${target.secretId} to replace the whole value.`);
    }
    /** The targets of the run that name the same secret (itself included), whole value or keys. */
    const siblings = (t) => {
        const all = (options.targets ?? []).filter((o) => o.kind === 'aws-secretsmanager' && secretOf(o) === secretOf(t));
        return all.length ? all : [t];
    };
    const secretOf = (t) => `${(0,_core_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .awsRegionOf */ .jy)(t) ?? options.region ?? ''}|${t.secretId}`;
    /**
     * One PutSecretValue for the secret: the value itself, or every key the run sets in its JSON object. Its
     * ClientRequestToken is derived from the notification, so a re-run that resumes the same message repeats
     * the same version (and, finding it current, writes nothing); one that finds it superseded writes a version
     * of its own. Afterwards AWSCURRENT must be that version, and every key must read back as written.
     */
    async function writeSecret(t, keys, value, versionKey) {
        const describe = async () => (await send(t, 'DescribeSecret', () => client(t).send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__/* .DescribeSecretCommand */ .X5({ SecretId: t.secretId })))).VersionIdsToStages ?? {};
        const setKeys = keys.filter((k) => k !== undefined);
        if (setKeys.length && setKeys.length !== keys.length) {
            throw new SecretsManagerError(`${(0,_core_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .formatScope */ .gk)(t)}: the targets replace the whole secret and set a key in it; list one or the other.`);
        }
        const token = clientRequestToken(`${versionKey}|${t.secretId}|${[...setKeys].sort().join(',')}`);
        const before = await describe();
        if (before[token]?.includes('AWSCURRENT'))
            return { status: 'updated', version: (0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(token, 80) };
        const current = Object.entries(before).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0] ?? '';
        const request = before[token] ? clientRequestToken(`${token}|${current}`) : token;
        const secretString = setKeys.length
            ? JSON.stringify({ ...(await currentObject(t, setKeys)), ...Object.fromEntries(setKeys.map((k) => [k, value])) })
            : value;
        options.mask(secretString);
        const put = await send(t, 'PutSecretValue', () => client(t).send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__/* .PutSecretValueCommand */ .cp({ SecretId: t.secretId, SecretString: secretString, ClientRequestToken: request })));
        const version = (0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(put.VersionId ?? 'none', 80);
        // Confirm that AWSCURRENT is the version just written, and that it holds the secret under every key.
        if (!put.VersionId || !(await describe())[put.VersionId]?.includes('AWSCURRENT')) {
            throw new SecretsManagerError(`${(0,_core_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .formatScope */ .gk)(t)}: the version written (${version}) is not AWSCURRENT.`);
        }
        if (setKeys.length) {
            const after = await currentObject(t, []);
            const missing = setKeys.filter((k) => after[k] !== value);
            if (missing.length)
                throw new SecretsManagerError(`${(0,_core_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .formatScope */ .gk)(t)}: read back, key(s) ${missing.join(', ')} do not hold the new secret.`);
        }
        return { status: 'updated', version };
    }
    return {
        async check(target) {
            const t = aws(target);
            await send(t, 'DescribeSecret', () => client(t).send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__/* .DescribeSecretCommand */ .X5({ SecretId: t.secretId })));
            if (t.key !== undefined)
                await currentObject(t);
        },
        write(target, value, versionKey) {
            const t = aws(target);
            // Keys of one secret written one by one would each read the others' old values: they are merged instead.
            const keys = siblings(t).map((s) => s.key);
            const id = `${secretOf(t)}|${versionKey}`;
            let written = writes.get(id);
            if (!written) {
                written = writeSecret(t, keys, value, versionKey);
                writes.set(id, written);
            }
            return written;
        },
        async updatedAt(target) {
            const t = aws(target);
            const { LastChangedDate } = await send(t, 'DescribeSecret', () => client(t).send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__/* .DescribeSecretCommand */ .X5({ SecretId: t.secretId })));
            return LastChangedDate?.getTime();
        },
        // PutSecretValue cannot be tried without making a version; the preflight's reads prove the rest.
        proveWrite: () => Promise.resolve('unproven'),
        unproven: () => Promise.resolve(['secretsmanager:PutSecretValue', 'kms:GenerateDataKey on its key, when that key is customer managed']),
    };
}
/** A ClientRequestToken (32 to 64 characters): the same input gives the same token. */
function clientRequestToken(key) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(key).digest('hex');
}
/** The SDK's error, turned into the IAM action or fix to apply. AWS's own message is remote text. */
function explain(target, action, error) {
    const e = error;
    const name = typeof e.name === 'string' ? e.name : '';
    const text = (0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(typeof e.message === 'string' ? e.message : String(error));
    const what = (0,_core_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .formatScope */ .gk)(target);
    if (name === 'CredentialsProviderError' || /could not load credentials/i.test(text)) {
        return `${what}: no AWS credentials were found. Add aws-actions/configure-aws-credentials before this step, with a role that may use this secret.`;
    }
    if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorCodes */ .fv)(error).some((c) => _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .INVALID_CREDENTIALS */ .Lr.test(c))) {
        return `${what}: AWS refused ${action} (${(0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(name, 80)}: ${text}): ${_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .CREDENTIALS_FIX */ .p8}`;
    }
    if (name === 'ResourceNotFoundException') {
        return `${what}: the secret does not exist (or is not visible to these credentials). Create it first: the action never creates or deletes a secret.`;
    }
    if (/AccessDenied|NotAuthorized|KMS|Decrypt/i.test(name) || /kms/i.test(text)) {
        return (`${what}: AWS refused ${action} (${(0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(name, 80)}: ${text}). The role needs secretsmanager:DescribeSecret, ` +
            'secretsmanager:PutSecretValue (and secretsmanager:GetSecretValue for a #KEY target) on this secret, and kms:GenerateDataKey and kms:Decrypt on its key when it uses a customer managed key.');
    }
    if (name === 'ResourceExistsException') {
        return `${what}: Secrets Manager already holds a different value for this rotation's version (${(0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(name, 80)}); the secret was changed by someone else since. Check it and re-run.`;
    }
    if ((0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .networkCause */ .u6)(error))
        return `${what}: could not reach Secrets Manager for ${action} (${(0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .failureCause */ .i_)(error)}).`;
    return `${what}: Secrets Manager ${action} failed: ${name ? `${(0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(name, 80)}: ` : ''}${text}`;
}


/***/ }),

/***/ 4772:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SM: () => (/* binding */ createDispatcher),
/* harmony export */   lk: () => (/* binding */ awsRequestHandler)
/* harmony export */ });
/* unused harmony exports proxySettings, proxyFor */
/* harmony import */ var agent_base__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(319);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6752);
/* harmony import */ var _lib_input_error_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7124);
/* harmony import */ var _lib_loopback_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9722);






/** The proxy settings in `env`; undefined when no request would go through a proxy. */
function proxySettings(env = process.env) {
    const httpProxy = proxyVariable(env, 'http');
    const httpsProxy = proxyVariable(env, 'https') ?? httpProxy;
    const noProxy = (env.no_proxy || env.NO_PROXY || '').trim();
    if (!httpProxy && !httpsProxy)
        return undefined;
    if (noProxyEntries(noProxy).some((entry) => entry.host === '*'))
        return undefined;
    return { http: httpProxy, https: httpsProxy, noProxy };
}
/** The proxy for a request to `host`:`port` over `protocol`, or undefined to connect directly. */
function proxyFor(settings, protocol, host, port) {
    const proxy = protocol === 'https:' ? settings.https : settings.http;
    if (!proxy || (0,_lib_loopback_js__WEBPACK_IMPORTED_MODULE_5__/* .isLoopbackHost */ .c)(host))
        return undefined;
    const name = plainHost(host.toLowerCase());
    const bypass = noProxyEntries(settings.noProxy).some((entry) => (entry.port === undefined || entry.port === port) && (name === entry.host || name.endsWith(`.${entry.host}`)));
    return bypass ? undefined : proxy;
}
/**
 * The undici dispatcher for the Amazon endpoints, with a bound on connecting and on waiting for headers and
 * body. With a proxy variable, each request goes through the proxy or directly as proxyFor says, the same
 * decision the AWS clients get. Through the proxy the proxy connection and its CONNECT answer get the same
 * bounds: ProxyAgent replaces `connect` with its tunnel, and its client to the proxy otherwise waits minutes.
 */
function createDispatcher(timeoutMs, env = process.env) {
    const options = { connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs };
    const settings = proxySettings(env);
    if (!settings)
        return new undici__WEBPACK_IMPORTED_MODULE_3__/* .Agent */ .g6(options);
    return new ProxyDispatcher(settings, new undici__WEBPACK_IMPORTED_MODULE_3__/* .Agent */ .g6(options), (proxy) => new undici__WEBPACK_IMPORTED_MODULE_3__/* .ProxyAgent */ .kT({
        ...options,
        uri: proxy.href,
        proxyTls: { timeout: timeoutMs },
        requestTls: { timeout: timeoutMs },
        clientFactory: (origin, opts) => new undici__WEBPACK_IMPORTED_MODULE_3__/* .Pool */ .bC(origin, { ...opts, headersTimeout: timeoutMs, bodyTimeout: timeoutMs }),
    }));
}
/**
 * Routes each request by its origin, as proxyFor decides: to the direct agent, or to the proxy's agent (one per
 * proxy URL, built on first use). undici's EnvHttpProxyAgent cannot be used for this: its NO_PROXY matching
 * has no rule for loopback, and would read the list on its own terms.
 */
class ProxyDispatcher extends undici__WEBPACK_IMPORTED_MODULE_3__/* .Dispatcher */ .mk {
    settings;
    direct;
    through;
    proxied = new Map();
    constructor(settings, direct, through) {
        super();
        this.settings = settings;
        this.direct = direct;
        this.through = through;
    }
    dispatch(options, handler) {
        const url = new URL(String(options.origin));
        const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
        const proxy = proxyFor(this.settings, protocol, url.hostname, Number(url.port) || (protocol === 'https:' ? 443 : 80));
        if (!proxy)
            return this.direct.dispatch(options, handler);
        let agent = this.proxied.get(proxy.href);
        if (!agent)
            this.proxied.set(proxy.href, (agent = this.through(proxy)));
        return agent.dispatch(options, handler);
    }
    close(callback) {
        const closed = Promise.all([this.direct, ...this.proxied.values()].map((d) => d.close())).then(() => undefined);
        if (!callback)
            return closed;
        void closed.then(callback, callback);
    }
    destroy(error, callback) {
        if (typeof error === 'function')
            return this.destroy(null, error);
        const destroyed = Promise.all([this.direct, ...this.proxied.values()].map((d) => d.destroy(error ?? null))).then(() => undefined);
        if (!callback)
            return destroyed;
        void destroyed.then(callback, callback);
    }
}
/**
 * The `requestHandler` of an AWS SDK client: the given timeouts, and through a proxy, agents that choose
 * per request between the proxy (a CONNECT tunnel, as undici and @actions/github use) and a direct
 * connection. Without a proxy variable it is the plain options object, so the SDK builds its usual agents.
 */
function awsRequestHandler(timeouts, env = process.env) {
    // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes: every request must end.
    const bounded = { ...timeouts, throwOnRequestTimeout: true };
    const settings = proxySettings(env);
    if (!settings)
        return bounded;
    return { ...bounded, httpAgent: new ProxyRouter(false, settings), httpsAgent: new ProxyRouter(true, settings) };
}
/** Routes each request by its host: the same keep-alive pools as the SDK's own agents, one per way. */
class ProxyRouter extends agent_base__WEBPACK_IMPORTED_MODULE_0__/* .Agent */ .g6 {
    secure;
    settings;
    direct;
    tunnel;
    constructor(secure, settings) {
        // keepAlive here only tells each request that its connection may be reused; the pools are the delegates'.
        super({ keepAlive: true });
        this.secure = secure;
        this.settings = settings;
        const pool = { keepAlive: true, maxSockets: 50 };
        this.direct = secure ? new node_https__WEBPACK_IMPORTED_MODULE_2__.Agent(pool) : new node_http__WEBPACK_IMPORTED_MODULE_1__.Agent(pool);
    }
    // The SDK gives no protocol in the request options; each router serves one.
    isSecureEndpoint() {
        return this.secure;
    }
    connect(req, options) {
        const target = `${options.host ?? ''}:${options.port}`;
        const proxy = proxyFor(this.settings, this.secure ? 'https:' : 'http:', options.host ?? '', options.port);
        if (!proxy)
            return this.direct;
        // https-proxy-agent hands a refused CONNECT to the SDK as if the service had answered it (an "UnknownError"):
        // fail the request with what really happened instead. Not retried by the SDK: the proxy's rules decide.
        req.once('proxyConnect', ({ statusCode }) => {
            if (statusCode === 200)
                return;
            const error = new Error(`the proxy ${proxy.host} refused a tunnel to ${target} (HTTP ${statusCode ?? 'error'}): allow that host on the proxy, or list it in NO_PROXY`);
            req.destroy(Object.assign(error, { name: 'ProxyError' }));
        });
        this.tunnel ??= tunnelAgent(proxy);
        return this.tunnel;
    }
    destroy() {
        this.direct.destroy();
        void this.tunnel?.then((agent) => agent.destroy(), () => undefined);
        super.destroy();
    }
}
/**
 * An https-proxy-agent for `proxy`, loaded on first use: a run without a proxy never loads it. The
 * credentials go in a header rather than in the URL it keeps, which its debug output (DEBUG=*) would print.
 */
async function tunnelAgent(proxy) {
    const { HttpsProxyAgent } = await __webpack_require__.e(/* import() */ 270).then(__webpack_require__.bind(__webpack_require__, 8270));
    const url = new URL(proxy.href);
    url.username = '';
    url.password = '';
    const headers = {};
    if (proxy.username || proxy.password) {
        const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
        headers['Proxy-Authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
    }
    return new HttpsProxyAgent(url, { keepAlive: true, maxSockets: 50, headers });
}
/** HTTPS_PROXY / https_proxy or HTTP_PROXY / http_proxy as a URL; a bare host:port means an http proxy. */
function proxyVariable(env, scheme) {
    const name = [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`].find((n) => env[n]?.trim());
    if (!name)
        return undefined;
    const value = env[name].trim();
    // The value is never repeated in an error: it may hold the proxy's credentials.
    const fail = (why) => {
        throw new _lib_input_error_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .d(`environment variable ${name}`, `${why} Set it to the proxy's URL, e.g. http://proxy.example.com:3128.`);
    };
    let url;
    try {
        url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
    }
    catch {
        fail('is not a URL.');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        fail(`must be an http:// or https:// proxy, not ${url.protocol}//.`);
    return url;
}
function noProxyEntries(value) {
    return value
        .toLowerCase()
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((entry) => {
        // host, host:port, [v6] or [v6]:port; a bare IPv6 address has colons but no port.
        const m = /^(\[[^\]]*\]|[^:]*):(\d+)$/.exec(entry);
        const host = m ? m[1] : entry;
        return { host: plainHost(host).replace(/^\*?\./, ''), port: m ? Number(m[2]) : undefined };
    });
}
/** A host name without IPv6 brackets or a final dot. */
function plainHost(host) {
    return host.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}


/***/ })

};
