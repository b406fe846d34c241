export const id = 281;
export const ids = [281];
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

/***/ 6281:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   QueueError: () => (/* binding */ QueueError),
/* harmony export */   createQueue: () => (/* binding */ createQueue)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_sqs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8868);
/* harmony import */ var _net_proxy_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4772);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9103);
/* harmony import */ var _lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7265);
/**
 * The SQS queue Amazon delivers notifications to, through @aws-sdk/client-sqs (credentials, region and
 * endpoint from the SDK's usual sources; throttling and transient errors retried by the SDK).
 */




/** An SQS call that failed, in words that name the input or the setting to change. Never a secret. */
class QueueError extends Error {
    constructor(message) {
        super(message);
        this.name = 'QueueError';
    }
}
function createQueue(options) {
    const client = new _aws_sdk_client_sqs__WEBPACK_IMPORTED_MODULE_2__/* .SQSClient */ .hW({
        region: options.region,
        // The endpoint comes from the region (taken from the queue URL) and the SDK's own settings, so that
        // AWS_ENDPOINT_URL_SQS, FIPS and dual-stack settings are honoured rather than overridden by the URL's host.
        useQueueUrlAsEndpoint: false,
        // The SDK's standard retry mode covers throttling and 5xx; bound the attempts and every request.
        maxAttempts: 5,
        // Long polls last up to 20 s, so a request may take that long before it is late. Through the runner's
        // proxy, if it sets one.
        requestHandler: (0,_net_proxy_js__WEBPACK_IMPORTED_MODULE_0__/* .awsRequestHandler */ .lk)({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
    });
    const QueueUrl = options.url;
    const send = async (action, run) => {
        try {
            return await run();
        }
        catch (error) {
            throw new QueueError(explain(action, error, options));
        }
    };
    return {
        async stats() {
            const sent = Date.now();
            const { Attributes = {} } = await send('GetQueueAttributes', () => client.send(new _aws_sdk_client_sqs__WEBPACK_IMPORTED_MODULE_2__/* .GetQueueAttributesCommand */ .Ko({
                QueueUrl,
                AttributeNames: [
                    'MessageRetentionPeriod',
                    'ApproximateNumberOfMessages',
                    'ApproximateNumberOfMessagesDelayed',
                    'ApproximateNumberOfMessagesNotVisible',
                    'Policy',
                    'FifoQueue',
                    'KmsMasterKeyId',
                ],
            })));
            const { ApproximateNumberOfMessages: visible, ApproximateNumberOfMessagesDelayed: delayed } = Attributes;
            return {
                retentionSeconds: Number(Attributes.MessageRetentionPeriod ?? 0),
                inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
                queued: visible === undefined || delayed === undefined ? undefined : Number(visible) + Number(delayed),
                roundTripMs: Date.now() - sent,
                policy: Attributes.Policy || undefined,
                fifo: Attributes.FifoQueue === 'true',
                // AWS's text, which reaches check mode's log: neutralised like every answer.
                kmsKeyId: Attributes.KmsMasterKeyId ? (0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .remoteText */ .SW)(Attributes.KmsMasterKeyId, 256) : undefined,
            };
        },
        async receive(waitSeconds, visibilitySeconds, signal) {
            const { Messages = [] } = await send('ReceiveMessage', () => client.send(new _aws_sdk_client_sqs__WEBPACK_IMPORTED_MODULE_2__/* .ReceiveMessageCommand */ .ON({
                QueueUrl,
                MaxNumberOfMessages: 10,
                WaitTimeSeconds: waitSeconds,
                VisibilityTimeout: visibilitySeconds,
                MessageSystemAttributeNames: ['SentTimestamp'],
            }), { abortSignal: signal }));
            return Messages.flatMap((m) => {
                if (!m.MessageId || !m.ReceiptHandle)
                    return [];
                const sent = Number(m.Attributes?.SentTimestamp);
                return [
                    {
                        // SQS assigns message ids, but they reach the log: treat them as any other remote text.
                        messageId: (0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .remoteText */ .SW)(m.MessageId, 100),
                        receiptHandle: m.ReceiptHandle,
                        body: m.Body ?? '',
                        sentAt: Number.isFinite(sent) && sent > 0 ? new Date(sent) : undefined,
                    },
                ];
            });
        },
        async setVisibility(message, seconds) {
            await send('ChangeMessageVisibility', () => client.send(new _aws_sdk_client_sqs__WEBPACK_IMPORTED_MODULE_2__/* .ChangeMessageVisibilityCommand */ .$H({ QueueUrl, ReceiptHandle: message.receiptHandle, VisibilityTimeout: seconds })));
        },
        async delete(message) {
            await send('DeleteMessage', () => client.send(new _aws_sdk_client_sqs__WEBPACK_IMPORTED_MODULE_2__/* .DeleteMessageCommand */ .Ye({ QueueUrl, ReceiptHandle: message.receiptHandle })));
        },
    };
}
/** The SDK's error, turned into what to set and where. AWS's own message is remote text: neutralised. */
function explain(action, error, options) {
    const e = error;
    const name = typeof e.name === 'string' ? e.name : '';
    // The JSON protocol names the error in `name` (KmsAccessDenied); the query-protocol code (KMS.AccessDeniedException)
    // is what AWS's documentation shows.
    const is = (pattern) => (0,_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorCodes */ .fv)(error).some((c) => pattern.test(c));
    const text = (0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .remoteText */ .SW)(typeof e.message === 'string' ? e.message : String(error));
    const said = `${(0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .remoteText */ .SW)(name, 80)}: ${text}`;
    if (name === 'AbortError')
        return 'the run was cancelled';
    if (name === 'CredentialsProviderError' || /could not load credentials/i.test(text)) {
        return ('No AWS credentials were found for the queue. Add aws-actions/configure-aws-credentials before this step ' +
            '(role-to-assume: the rotation role, with `permissions: id-token: write` in the job), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.');
    }
    if (is(_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .INVALID_CREDENTIALS */ .Lr))
        return `AWS refused ${action} on the queue (${said}): ${_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .CREDENTIALS_FIX */ .p8}`;
    if (/NonExistentQueue|QueueDoesNotExist/.test(name)) {
        return (`The queue in sqs-queue-url (${options.url}) does not exist in AWS region ${options.region}, or the credentials' account cannot see it. ` +
            "Check the input against the SQS console and that the credentials belong to the queue's account.");
    }
    if (is(/^(KmsAccessDenied|KMS\.AccessDenied)/)) {
        return (`AWS refused ${action} on the queue (${said}): the queue is encrypted with a KMS key these credentials may not use. ` +
            "Allow kms:Decrypt on the queue's key to the role, in its IAM policy and in the key policy (whoever sends to the queue needs kms:GenerateDataKey on it).");
    }
    if (is(/^(KmsThrottled|KMS\.Throttling)/))
        return `KMS throttled ${action} on the queue (${said}); re-run in a few minutes.`;
    if (is(/^(Kms|KMS\.)/)) {
        return (`SQS could not use the queue's KMS key for ${action} (${said}). The key must exist, be enabled and be a symmetric encryption key: ` +
            'while it is not, neither this action nor Amazon can use the queue. Enable the key, or encrypt the queue with a usable one.');
    }
    if (/AccessDenied|NotAuthorized/.test(name)) {
        return (`AWS refused ${action} on the queue (${said}). The credentials need sqs:ReceiveMessage, ` +
            'sqs:ChangeMessageVisibility, sqs:DeleteMessage and sqs:GetQueueAttributes on the queue, and kms:Decrypt on its key.');
    }
    const cause = (0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .networkCause */ .u6)(error);
    if (cause)
        return `could not reach SQS for ${action} (${cause}); check the runner's network and sqs-queue-url.`;
    return `SQS ${action} failed: ${name ? `${(0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .remoteText */ .SW)(name, 80)}: ` : ''}${text}`;
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
