export const id = 258;
export const ids = [258];
export const modules = {

/***/ 7258:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createHttpClient: () => (/* binding */ createHttpClient)
/* harmony export */ });
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6752);
/* harmony import */ var _proxy_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4772);
/* harmony import */ var _transient_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5270);
/**
 * HTTP for the Amazon endpoints: undici with a timeout on every request and undici's RetryAgent for
 * transient failures (retry-after honoured, attempts bounded), through the runner's proxy if it sets one
 * (src/proxy.ts). Each caller states which failures are safe to repeat: a token request always is, a
 * rotation only when Amazon certainly did not act on it.
 */



function createHttpClient(options) {
    const { timeoutMs, retry, onRetry } = options;
    // A plain Agent, or one that routes through the runner's proxy when it sets one (loopback always directly).
    const agent = (0,_proxy_js__WEBPACK_IMPORTED_MODULE_1__/* .createDispatcher */ .SM)(timeoutMs);
    const dispatcher = new undici__WEBPACK_IMPORTED_MODULE_0__/* .RetryAgent */ .cg(agent, {
        maxRetries: retry.retries,
        methods: ['POST'],
        statusCodes: retry.statusCodes,
        errorCodes: retry.errorCodes,
        // Hand the last response to the caller (with its error body) instead of a generic error.
        throwOnError: false,
        retry(err, { state }, callback) {
            const { statusCode, code, headers } = err;
            const retryable = statusCode !== undefined ? retry.statusCodes.includes(statusCode) : retry.errorCodes.includes(code ?? '');
            if (!retryable || state.counter > retry.retries)
                return callback(err);
            const delayMs = (0,_transient_js__WEBPACK_IMPORTED_MODULE_2__/* .retryAfterMs */ .Vs)(headers?.['retry-after'], retry.maxDelayMs) ?? Math.min(retry.minDelayMs * 2 ** (state.counter - 1), retry.maxDelayMs);
            onRetry?.(statusCode !== undefined ? `HTTP ${statusCode}` : (code ?? 'network error'), delayMs, state.counter);
            setTimeout(() => callback(null), delayMs);
        },
    });
    return {
        async post(url, headers, body) {
            const response = await dispatcher.request({
                origin: new URL(url).origin,
                path: new URL(url).pathname + new URL(url).search,
                method: 'POST',
                headers,
                body,
            });
            return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
        },
        close: () => dispatcher.close(),
    };
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
