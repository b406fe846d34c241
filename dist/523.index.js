export const id = 523;
export const ids = [523];
export const modules = {

/***/ 9523:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createParameterStore: () => (/* binding */ createParameterStore)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4736);
/* harmony import */ var _net_proxy_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4772);
/* harmony import */ var _lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7265);
/* harmony import */ var _core_targets_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(277);
/**
 * AWS Systems Manager Parameter Store targets, through @aws-sdk/client-ssm (credentials, region and endpoint from
 * the SDK's usual chain, as for the queue; AWS_ENDPOINT_URL_SSM is honoured). The parameter must exist and be a
 * SecureString: the action never creates one, and never stores the secret unencrypted. A write overwrites it with
 * the KMS key id, tier and data type it already has, because PutParameter without them re-encrypts under the
 * account's default key (alias/aws/ssm) and picks the account's default tier. This module is loaded only when a
 * Parameter Store target is listed.
 */




class ParameterStoreError extends Error {
    name = 'ParameterStoreError';
}
/** DescribeParameters may answer a filter with empty pages that still carry a NextToken; this many pages at most. */
const MAX_DESCRIBE_PAGES = 10;
/** Values shorter than this are not secrets worth masking, and masking them would star out ordinary words in the log. */
const MIN_MASKED_LENGTH = 4;
function createParameterStore(options) {
    const clients = new Map();
    const regionOf = (target) => (0,_core_targets_js__WEBPACK_IMPORTED_MODULE_2__/* .awsRegionOf */ .jy)(target) ?? options.region;
    const client = (target) => {
        const region = regionOf(target);
        if (!region)
            throw new Error(`${(0,_core_targets_js__WEBPACK_IMPORTED_MODULE_2__/* .formatScope */ .gk)(target)}: no AWS region: name the parameter by its ARN, or set AWS_REGION.`);
        let c = clients.get(region);
        if (!c) {
            c = new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_3__/* .SSMClient */ .jBj({
                region,
                // Bounded: with the SDK's backoff for throttling (1 s base, doubling, jittered), at most about 15 s of retries.
                maxAttempts: 5,
                // Through the runner's proxy, if it sets one.
                requestHandler: (0,_net_proxy_js__WEBPACK_IMPORTED_MODULE_0__/* .awsRequestHandler */ .lk)({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
            });
            // TooManyUpdates (another writer holds the parameter) is a throttle in all but name; answered with 400, the SDK
            // would not retry it. Marked as one, it gets the SDK's own bounded retries and backoff.
            c.middlewareStack.add((next) => async (args) => {
                try {
                    return await next(args);
                }
                catch (error) {
                    if (error.name === 'TooManyUpdates')
                        error.$retryable = { throttling: true };
                    throw error;
                }
            }, 
            // In the deserialize step ahead of the deserializer, so it sees the modeled error; the retry step is outside it.
            { step: 'deserialize', priority: 'high', name: 'tooManyUpdatesIsThrottling' });
            clients.set(region, c);
        }
        return c;
    };
    const ssm = (target) => {
        if (target.kind !== 'aws-ssm')
            throw new Error(`${(0,_core_targets_js__WEBPACK_IMPORTED_MODULE_2__/* .formatScope */ .gk)(target)} is not a Parameter Store target`);
        return target;
    };
    const send = async (target, action, run, keyId) => {
        try {
            return await run();
        }
        catch (error) {
            // The SDK's error is not kept as the cause: it carries the raw response, which nothing may print.
            throw new ParameterStoreError(explain(target, regionOf(target), action, error, keyId));
        }
    };
    const masked = (value) => {
        if (value && value.length >= MIN_MASKED_LENGTH)
            options.mask(value);
        return value;
    };
    /** The parameter's value and version, decrypted (proves ssm:GetParameter and kms:Decrypt); the value masked at once. */
    async function read(t, name, keyId) {
        const { Parameter: p } = await send(t, 'GetParameter', () => client(t).send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_3__/* .GetParameterCommand */ .lhy({ Name: name, WithDecryption: true })), keyId);
        if (!p?.Name)
            throw new ParameterStoreError(`${(0,_core_targets_js__WEBPACK_IMPORTED_MODULE_2__/* .formatScope */ .gk)(t)}: GetParameter answered without the parameter.`);
        return { name: p.Name, arn: p.ARN, type: p.Type, value: masked(p.Value), version: p.Version };
    }
    /** The parameter's metadata, by exact name, following NextToken over the service's best-effort pages. */
    async function describe(t, name) {
        let token;
        for (let page = 0; page < MAX_DESCRIBE_PAGES; page++) {
            const out = await send(t, 'DescribeParameters', () => client(t).send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_3__/* .DescribeParametersCommand */ .$hz({
                ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }],
                ...(token !== undefined && { NextToken: token }),
            })));
            const found = out.Parameters?.find((p) => p.Name === name);
            if (found || !out.NextToken)
                return found;
            token = out.NextToken;
        }
        throw new ParameterStoreError(`${(0,_core_targets_js__WEBPACK_IMPORTED_MODULE_2__/* .formatScope */ .gk)(t)}: DescribeParameters gave ${MAX_DESCRIBE_PAGES} pages without an answer; re-run.`);
    }
    /**
     * Everything a write must know, or the reason it must not happen: the parameter exists in this account, is a
     * SecureString, and names its key and tier.
     */
    async function inspect(t) {
        const where = (0,_core_targets_js__WEBPACK_IMPORTED_MODULE_2__/* .formatScope */ .gk)(t);
        // An ARN is resolved to the name PutParameter needs by reading the parameter; a name is described first, so that
        // a missing ssm:DescribeParameters permission is named before anything else.
        const byArn = t.parameter.startsWith('arn:');
        const first = byArn ? await read(t, t.parameter) : undefined;
        const name = first?.name ?? t.parameter;
        const meta = await describe(t, name);
        if (!meta) {
            // Reading an ARN of another account's shared parameter works; writing its name would create one in this account.
            throw new ParameterStoreError(byArn
                ? `${where}: the ARN names a parameter these credentials may read but that is not in their account (a shared parameter is read-only). Use a parameter of the account the role belongs to.`
                : missing(t, regionOf(t)));
        }
        if (byArn && meta.ARN !== undefined && meta.ARN !== t.parameter) {
            throw new ParameterStoreError(`${where}: the ARN does not match the parameter of that name in these credentials' account (${(0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .remoteText */ .SW)(meta.ARN, 300)}). Use the ARN of a parameter in the role's own account.`);
        }
        if (meta.Type !== 'SecureString') {
            throw new ParameterStoreError(`${where}: the parameter is a ${(0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .remoteText */ .SW)(meta.Type ?? 'parameter of unknown type', 40)}, so the secret would be stored unencrypted. ` +
                `Parameter Store cannot change a parameter's type: delete it and create it again as a SecureString (${createCommand(name, regionOf(t))}).`);
        }
        if (!meta.KeyId || !meta.Tier || (meta.Tier !== 'Standard' && meta.Tier !== 'Advanced')) {
            throw new ParameterStoreError(`${where}: DescribeParameters did not say which KMS key and tier the parameter has; writing without them could re-encrypt it under alias/aws/ssm or change its tier, so nothing is written.`);
        }
        const current = first ?? (await read(t, name, meta.KeyId));
        return { name, keyId: meta.KeyId, tier: meta.Tier, dataType: meta.DataType, value: current.value, version: current.version };
    }
    const checked = new Map();
    return {
        async check(target) {
            const t = ssm(target);
            const found = inspect(t);
            checked.set((0,_core_targets_js__WEBPACK_IMPORTED_MODULE_2__/* .formatScope */ .gk)(t), found);
            await found;
        },
        // PutParameter cannot be tried without making a version; unproven() names what it needs.
        proveWrite: () => Promise.resolve('unproven'),
        async unproven(target) {
            const t = ssm(target);
            const { keyId, tier } = await (checked.get((0,_core_targets_js__WEBPACK_IMPORTED_MODULE_2__/* .formatScope */ .gk)(t)) ?? inspect(t));
            // Standard values are encrypted with Encrypt; Advanced ones with a data key (envelope encryption).
            return ['ssm:PutParameter', `${tier === 'Advanced' ? 'kms:GenerateDataKey' : 'kms:Encrypt'} on ${(0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .remoteText */ .SW)(keyId, 256)}`];
        },
        async write(target, value) {
            const t = ssm(target);
            options.mask(value);
            // Described afresh: the key, tier and type are the parameter's as it is now, not as it was at the preflight.
            const before = await inspect(t);
            // A re-run that finds the value already there writes nothing: every PutParameter adds a version, and a
            // parameter keeps only 100.
            if (before.value === value)
                return { status: 'updated', version: String(before.version ?? '?') };
            const put = await send(t, 'PutParameter', () => client(t).send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_3__/* .PutParameterCommand */ .ihh({
                Name: before.name,
                Value: value,
                Type: 'SecureString',
                KeyId: before.keyId,
                Tier: before.tier,
                ...(before.dataType !== undefined && { DataType: before.dataType }),
                Overwrite: true,
            })), before.keyId);
            const after = await read(t, before.name, before.keyId);
            if (after.value !== value || put.Version === undefined || after.version !== put.Version) {
                throw new ParameterStoreError(`${(0,_core_targets_js__WEBPACK_IMPORTED_MODULE_2__/* .formatScope */ .gk)(t)}: after writing version ${put.Version ?? '?'}, the parameter holds version ${after.version ?? '?'}${after.value === value ? '' : ' with another value'}: someone else wrote it meanwhile. Check it and re-run.`);
            }
            return { status: 'updated', version: String(put.Version) };
        },
        async updatedAt(target) {
            const t = ssm(target);
            const name = t.parameter.startsWith('arn:') ? (await read(t, t.parameter)).name : t.parameter;
            return (await describe(t, name))?.LastModifiedDate?.getTime();
        },
    };
}
/** The region flag for a command, when known. */
const regionFlag = (region) => (region ? ` --region ${region}` : '');
/** How to create the parameter as a SecureString, holding the current secret so that its readers keep working. */
function createCommand(name, region) {
    return `aws ssm put-parameter --name '${name}' --type SecureString --key-id alias/aws/ssm --value "$CURRENT_CLIENT_SECRET"${regionFlag(region)}; use --key-id with your own key's alias if you have one`;
}
function missing(target, region) {
    return (`${(0,_core_targets_js__WEBPACK_IMPORTED_MODULE_2__/* .formatScope */ .gk)(target)}: the parameter does not exist (or is not visible to these credentials). The action never creates one: ` +
        `create it as a SecureString holding the current client secret: ${createCommand(target.parameter, region)}.`);
}
/** The SDK's error, turned into the IAM action or fix to apply. AWS's own message is remote text. */
function explain(target, region, action, error, keyId) {
    const e = error;
    const name = typeof e.name === 'string' ? e.name : '';
    const text = (0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .remoteText */ .SW)(typeof e.message === 'string' ? e.message : String(error));
    const what = (0,_core_targets_js__WEBPACK_IMPORTED_MODULE_2__/* .formatScope */ .gk)(target);
    const key = keyId ? (0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .remoteText */ .SW)(keyId, 256) : "the parameter's KMS key";
    if (name === 'CredentialsProviderError' || /could not load credentials/i.test(text)) {
        return `${what}: no AWS credentials were found. Add aws-actions/configure-aws-credentials before this step, with a role that may use this parameter.`;
    }
    if (name === 'ParameterNotFound')
        return missing(target, region);
    if (/AccessDenied|NotAuthorized|UnrecognizedClient|InvalidClientTokenId|ExpiredToken/i.test(name)) {
        const kms = /kms:[A-Za-z]+/.exec(text)?.[0];
        const needs = {
            DescribeParameters: 'ssm:DescribeParameters (on "*": it cannot be limited to a parameter)',
            GetParameter: `ssm:GetParameter on this parameter, and kms:Decrypt on ${key}`,
            PutParameter: `ssm:PutParameter on this parameter, and kms:Encrypt (kms:GenerateDataKey for an Advanced parameter) on ${key}`,
        };
        return (`${what}: AWS refused ${action}${kms ? ` (${kms} on ${key})` : ''}: ${(0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .remoteText */ .SW)(name, 80)}: ${text}. ` +
            `The role needs ${needs[action] ?? action}; a customer managed key's policy must allow it too.`);
    }
    if (name === 'ParameterMaxVersionLimitExceeded') {
        const oldest = /Version (\d+)/.exec(text)?.[1] ?? 'OLDEST_VERSION';
        return (`${what}: the parameter has 100 versions and its oldest (${oldest}) has a label, so Parameter Store will not drop it to make room. ` +
            `Move or remove the label (aws ssm unlabel-parameter-version --name '${target.parameter}' --parameter-version ${oldest} --labels LABEL${regionFlag(region)}; ` +
            'aws ssm get-parameter-history shows the labels), then re-run.');
    }
    if (name === 'TooManyUpdates' || name === 'ThrottlingException') {
        return `${what}: Parameter Store kept answering ${name} to ${action} after retries (another writer, or the account's request rate). Re-run in a minute.`;
    }
    if (name === 'InvalidKeyId') {
        return `${what}: KMS key ${key} cannot be used (${text}): it may be disabled, scheduled for deletion, or not a symmetric key. Fix the key, or recreate the parameter with a usable one.`;
    }
    if ((0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .networkCause */ .u6)(error))
        return `${what}: could not reach Parameter Store for ${action} (${(0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .failureCause */ .i_)(error)}).`;
    return `${what}: Parameter Store ${action} failed: ${name ? `${(0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .remoteText */ .SW)(name, 80)}: ` : ''}${text}`;
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
