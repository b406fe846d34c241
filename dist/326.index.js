export const id = 326;
export const ids = [326];
export const modules = {

/***/ 8497:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createDispatcher: () => (/* binding */ createDispatcher)
/* harmony export */ });
/* harmony import */ var _octokit_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2887);

function createDispatcher(octokit) {
    const advice = (d) => (status) => status === 403 || status === 404
        ? `The github-token needs ${d.kind === 'workflow' ? '"Actions: read and write"' : '"Contents: read and write"'} on ${d.owner}/${d.repo}, and the ${d.kind === 'workflow' ? 'workflow must exist and declare workflow_dispatch' : 'repository must exist'}.`
        : '';
    return {
        async fire(d, payload) {
            if (d.kind === 'repository_dispatch') {
                await (0,_octokit_js__WEBPACK_IMPORTED_MODULE_0__.request)(advice(d), 'send the repository_dispatch', () => octokit.request('POST /repos/{owner}/{repo}/dispatches', {
                    owner: d.owner,
                    repo: d.repo,
                    event_type: d.eventType,
                    client_payload: payload,
                }));
                return;
            }
            const ref = d.ref ??
                (await (0,_octokit_js__WEBPACK_IMPORTED_MODULE_0__.request)(advice(d), 'read the default branch', () => octokit.request('GET /repos/{owner}/{repo}', { owner: d.owner, repo: d.repo }))).data.default_branch;
            // No inputs: a workflow refuses inputs it does not declare.
            await (0,_octokit_js__WEBPACK_IMPORTED_MODULE_0__.request)(advice(d), 'start the workflow', () => octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
                owner: d.owner,
                repo: d.repo,
                workflow_id: d.workflow,
                ref,
            }));
        },
    };
}


/***/ }),

/***/ 6280:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ALERT_LABEL: () => (/* binding */ ALERT_LABEL),
/* harmony export */   createIssueTracker: () => (/* binding */ createIssueTracker)
/* harmony export */ });
/* harmony import */ var _octokit_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2887);
/* harmony import */ var _lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7265);


const ALERT_LABEL = {
    name: 'lwa-secret-rotation',
    color: 'd93f0b',
    description: 'LWA client secret rotation: one open issue per application while it needs a person',
};
/** 100 a page (GitHub's most); the open alert issues of one repository fit on the first. */
const PER_PAGE = 100;
/** A bound on the listing: beyond this many open issues with the label, the oldest are not looked at. */
const MAX_PAGES = 5;
function createIssueTracker(octokit, options) {
    const { repository } = options;
    const [owner, repo] = repository.split('/');
    // No retries: the alert has a total bound, and the next run tries again anyway. (Any other count makes the retry
    // plugin repeat refusals too, 403 and 422 included.)
    const requestOptions = { signal: options.signal, retries: 0 };
    const advice = (status) => status === 403 || status === 404
        ? `The alert-token needs "issues: write" on ${repository}: add \`issues: write\` to the job's permissions (the default alert-token is the workflow's GITHUB_TOKEN), give a GitHub App token the App permission "Issues: read and write", or set alert: none.`
        : status === 410
            ? `Issues are turned off in ${repository}: turn them on (Settings → General → Features → Issues) or set alert: none.`
            : status === 401
                ? 'The alert-token is invalid or expired.'
                : '';
    const send = (what, fn) => (0,_octokit_js__WEBPACK_IMPORTED_MODULE_0__.request)(advice, what, fn);
    const list = async (page) => (await send('list the alert issues', () => octokit.request('GET /repos/{owner}/{repo}/issues', {
        owner,
        repo,
        labels: ALERT_LABEL.name,
        state: 'open',
        sort: 'created',
        direction: 'asc',
        per_page: PER_PAGE,
        page,
        request: requestOptions,
    }))).data;
    /** The label exists (true), or not (false): 404 is its absence here, not a missing permission. */
    const labelExists = async () => {
        try {
            await send(`read the label ${ALERT_LABEL.name}`, () => octokit.request('GET /repos/{owner}/{repo}/labels/{name}', { owner, repo, name: ALERT_LABEL.name, request: requestOptions }));
            return true;
        }
        catch (error) {
            if (error instanceof _octokit_js__WEBPACK_IMPORTED_MODULE_0__.GitHubError && error.status === 404)
                return false;
            throw error;
        }
    };
    return {
        async findOpen(marker) {
            for (let page = 1; page <= MAX_PAGES; page++) {
                const issues = await list(page);
                // Pull requests share the issues list; only an issue whose body holds the marker is this application's.
                const found = issues.find((i) => !i.pull_request && (i.body ?? '').includes(marker));
                if (found)
                    return { number: found.number, url: (0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .remoteText */ .SW)(found.html_url, 200), body: found.body ?? '' };
                if (issues.length < PER_PAGE)
                    break;
            }
            return undefined;
        },
        async open(title, body) {
            if (!(await labelExists())) {
                try {
                    await send(`create the label ${ALERT_LABEL.name}`, () => octokit.request('POST /repos/{owner}/{repo}/labels', { owner, repo, ...ALERT_LABEL, request: requestOptions }));
                }
                catch (error) {
                    // Another run created it meanwhile.
                    if (!(error instanceof _octokit_js__WEBPACK_IMPORTED_MODULE_0__.GitHubError && error.status === 422))
                        throw error;
                }
            }
            const { data } = await send('open the alert issue', () => octokit.request('POST /repos/{owner}/{repo}/issues', {
                owner,
                repo,
                title,
                body,
                labels: [ALERT_LABEL.name],
                request: requestOptions,
            }));
            // GitHub drops the labels of a new issue, silently, when the token may not set them; without the label the
            // next run could not find the issue, and would open another.
            const labelled = data.labels.some((l) => (typeof l === 'string' ? l : l.name) === ALERT_LABEL.name);
            if (!labelled) {
                await send(`label the alert issue #${data.number} (without the label, the next run cannot find it)`, () => octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
                    owner,
                    repo,
                    issue_number: data.number,
                    labels: [ALERT_LABEL.name],
                    request: requestOptions,
                }));
            }
            return { number: data.number, url: (0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_1__/* .remoteText */ .SW)(data.html_url, 200), body };
        },
        async update(issue, title, body) {
            await send(`update the alert issue #${issue}`, () => octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
                owner,
                repo,
                issue_number: issue,
                title,
                body,
                request: requestOptions,
            }));
        },
        async comment(issue, body) {
            await send(`comment on the alert issue #${issue}`, () => octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
                owner,
                repo,
                issue_number: issue,
                body,
                request: requestOptions,
            }));
        },
        async close(issue) {
            await send(`close the alert issue #${issue}`, () => octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
                owner,
                repo,
                issue_number: issue,
                state: 'closed',
                state_reason: 'completed',
                request: requestOptions,
            }));
        },
        async probe() {
            const [issues, exists] = await Promise.all([list(1), labelExists()]);
            return { open: issues.filter((i) => !i.pull_request).length, label: ALERT_LABEL.name, labelExists: exists };
        },
    };
}


/***/ }),

/***/ 2887:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GitHubError: () => (/* binding */ GitHubError),
/* harmony export */   createOctokit: () => (/* binding */ createOctokit),
/* harmony export */   request: () => (/* binding */ request)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1351);
/* harmony import */ var _actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5555);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6856);
/* harmony import */ var _lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7265);
/**
 * The one Octokit client of a run (@actions/github), with GitHub's retry and rate-limit guidance applied by
 * @octokit/plugin-retry and @octokit/plugin-throttling, a timeout on every attempt, and errors that name
 * the cause and the input. Every GitHub adapter (secrets, variables) goes through it.
 */





class GitHubError extends Error {
    status;
    constructor(status, message) {
        super(message);
        this.status = status;
        this.name = 'GitHubError';
    }
}
/** A request that got no HTTP answer; its message names the input and the cause. */
class NetworkError extends Error {
    constructor(message, cause) {
        super(message, { cause });
        this.name = 'NetworkError';
    }
}
/** Longest rate-limit pause the action accepts before it gives up and leaves the rest to a re-run. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 120;
const RATE_LIMIT_RETRIES = 3;
const REQUEST_TIMEOUT_MS = 30_000;
function createOctokit(options) {
    const { warn, info } = options;
    const maxWait = options.maxRateLimitWaitSeconds ?? MAX_RATE_LIMIT_WAIT_SECONDS;
    // @actions/github's fetch goes through the runner's proxy settings; add a timeout to each attempt, and say
    // why an attempt failed when it never got an answer (the retry plugin tries again without a word).
    const baseFetch = (_actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_1__/* .defaults */ .NT.request?.fetch ?? fetch);
    const timedFetch = async (url, init) => {
        try {
            return await baseFetch(url, {
                ...init,
                signal: init?.signal
                    ? AbortSignal.any([init.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)])
                    : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
            });
        }
        catch (error) {
            const cause = (0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .failureCause */ .i_)(error);
            info(`GitHub API ${new URL(options.baseUrl).host} (github-api-url) could not be reached: ${cause}.`);
            throw new NetworkError(`could not reach github-api-url ${new URL(options.baseUrl).origin} (${cause})`, error);
        }
    };
    const onLimit = (kind) => (retryAfter, request, _octokit, retryCount) => {
        const retrying = retryCount < RATE_LIMIT_RETRIES && retryAfter <= maxWait;
        warn(`GitHub ${kind} rate limit on ${request.method} ${(0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(request.url, 200)}; ${retrying ? `retrying in ${retryAfter} s` : 'giving up'}.`);
        return retrying;
    };
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(options.token, {
        baseUrl: options.baseUrl,
        request: { fetch: timedFetch },
        throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
        // The plugin's defaults, and 409: a conflict (a variable another run created meanwhile) is answered at once by
        // the caller, never waited out by repeating the same request.
        retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451] },
        // Octokit's own notices (deprecations, with GitHub's headers in them) are remote text too.
        log: {
            debug: () => { },
            info: () => { },
            warn: (message) => warn((0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(message)),
            error: (message) => warn((0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(message)),
        },
    }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_3__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_4__/* .throttling */ .A);
    return octokit;
}
/**
 * Runs one request and turns a failure into a GitHubError that says what failed and why: the network cause,
 * or GitHub's own message (neutralised) with `advice` for the status. Never the request, which holds values.
 */
async function request(advice, what, send) {
    try {
        return await send();
    }
    catch (error) {
        const e = error;
        // No HTTP answer at all: Octokit reports it as a 500 it never received; say what really happened.
        const network = [error, e.cause].find((x) => x instanceof NetworkError);
        if (network || !e.response) {
            const cause = network?.message ?? `could not reach github-api-url (${(0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .networkCause */ .u6)(error) ?? (0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(e.name ?? 'request failed', 60)})`;
            throw new GitHubError(0, `could not ${what}: ${cause}.`);
        }
        const status = typeof e.status === 'number' ? e.status : 0;
        // GitHub's own message only, neutralised: the Octokit error also carries the request, body included.
        const detail = typeof e.response.data?.message === 'string' ? (0,_lib_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(e.response.data.message) : `HTTP ${status}`;
        const hint = advice(status);
        throw new GitHubError(status, `could not ${what}: HTTP ${status}${detail === `HTTP ${status}` ? '' : ` ${detail}`}.${hint ? ` ${hint}` : ''}`);
    }
}


/***/ }),

/***/ 7566:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  WRITE_CHECK_SECRET: () => (/* binding */ WRITE_CHECK_SECRET),
  createGitHubStore: () => (/* binding */ createGitHubStore)
});

// EXTERNAL MODULE: ./src/adapters/github/octokit.ts
var github_octokit = __webpack_require__(2887);
// EXTERNAL MODULE: ./src/lib/remote-text.ts
var remote_text = __webpack_require__(7265);
;// CONCATENATED MODULE: ./src/adapters/github/seal.ts
/**
 * libsodium sealed boxes, the encryption GitHub requires for secret values: only the holder of the
 * target's private key (GitHub) can open them.
 */
/** libsodium (its WebAssembly compiled on load) is imported on first use: a run that writes nothing never pays for it. */
let loaded;
function loadSodium() {
    return (loaded ??= __webpack_require__.e(/* import() */ 768).then(__webpack_require__.bind(__webpack_require__, 4768)).then(async ({ default: sodium }) => (await sodium.ready, sodium)));
}
/** Seals `value` for the Curve25519 public key GitHub returned (base64) and returns the box in base64. */
async function seal(value, publicKeyBase64) {
    const sodium = await loadSodium();
    const key = sodium.from_base64(publicKeyBase64, sodium.base64_variants.ORIGINAL);
    const box = sodium.crypto_box_seal(sodium.from_string(value), key);
    return sodium.to_base64(box, sodium.base64_variants.ORIGINAL);
}

// EXTERNAL MODULE: ./src/core/targets.ts
var targets = __webpack_require__(277);
;// CONCATENATED MODULE: ./src/adapters/github/secrets.ts
/**
 * GitHub secrets (Actions: repository, environment, organization; Dependabot: repository, organization),
 * written through the shared Octokit client (src/octokit.ts): public keys, sealed writes, and the metadata
 * that says when a secret was last written. An organization secret keeps its visibility and selected
 * repositories exactly; a new one gets the visibility of organization-visibility.
 */




/** GitHub's timestamps have whole seconds, and two clocks never agree exactly. */
const CLOCK_TOLERANCE_MS = 5_000;
/**
 * The throw-away secret that proves, before a rotation, that the token may write a scope: written and
 * deleted at once, with a value that is no secret. No other endpoint tells what a token may write.
 */
const WRITE_CHECK_SECRET = 'LWA_ROTATION_WRITE_CHECK';
/** Every kind of target, as REST paths: GET {base}/public-key, GET/PUT {base}/{secret_name}. */
function routes(target) {
    switch (target.kind) {
        case 'repository':
            return { params: { owner: target.owner, repo: target.repo }, base: '/repos/{owner}/{repo}/actions/secrets', org: undefined };
        case 'environment':
            return {
                params: { owner: target.owner, repo: target.repo, environment_name: target.environment },
                base: '/repos/{owner}/{repo}/environments/{environment_name}/secrets',
                org: undefined,
            };
        case 'dependabot':
            return { params: { owner: target.owner, repo: target.repo }, base: '/repos/{owner}/{repo}/dependabot/secrets', org: undefined };
        case 'organization':
            return { params: { org: target.org }, base: '/orgs/{org}/actions/secrets', org: target.org };
        case 'dependabot-organization':
            return { params: { org: target.org }, base: '/orgs/{org}/dependabot/secrets', org: target.org };
        case 'aws-secretsmanager':
        case 'aws-ssm':
            throw new Error(`${(0,targets/* formatScope */.gk)(target)} is not a GitHub target`);
    }
}
function createGitHubStore(octokit, defaults = { visibility: 'private', repositories: [] }) {
    const keys = new Map();
    /** One proof per scope (repository, environment, organization, for Actions or Dependabot). */
    const proofs = new Map();
    const selectedIds = new Map();
    // Octokit's typed routes cannot be chosen at run time; every response used here is read through a declared shape.
    const call = async (target, what, route, params) => (await (0,github_octokit.request)(advice(target), what, () => octokit.request(route, params)));
    async function publicKey(target, fresh = false) {
        const id = (0,targets/* formatScope */.gk)(target);
        const cached = keys.get(id);
        if (cached && !fresh)
            return cached;
        const { base, params } = routes(target);
        const { data } = await call(target, 'read the public key', `GET ${base}/public-key`, params);
        keys.set(id, data);
        return data;
    }
    /** The ids of organization-repositories, resolved once per organization. */
    function defaultSelection(target, org) {
        let ids = selectedIds.get(org);
        if (!ids) {
            ids = Promise.all(defaults.repositories.map(async (repo) => {
                const seeIt = (status) => status === 404 || status === 403
                    ? 'Check the name in organization-repositories; the github-token must be able to see the repository ("Metadata: read").'
                    : '';
                const { data } = await (0,github_octokit.request)(seeIt, `find the repository ${org}/${repo} (organization-repositories)`, () => octokit.request('GET /repos/{owner}/{repo}', { owner: org, repo }));
                return Number(data.id);
            }));
            selectedIds.set(org, ids);
        }
        return ids;
    }
    /** What an organization PUT must say to leave access as it is: the existing secret's, else the defaults. */
    async function access(target, org) {
        const { base, params } = routes(target);
        const existing = await metadata(target);
        if (!existing) {
            return defaults.visibility === 'selected'
                ? { visibility: 'selected', selected_repository_ids: await defaultSelection(target, org) }
                : { visibility: defaults.visibility };
        }
        if (existing.visibility !== 'selected')
            return { visibility: existing.visibility };
        const ids = [];
        for (let page = 1;; page++) {
            const { data } = await call(target, 'read the selected repositories', `GET ${base}/{secret_name}/repositories`, { ...params, secret_name: target.secretName, per_page: 100, page });
            ids.push(...data.repositories.map((r) => r.id));
            if (data.repositories.length < 100 || ids.length >= data.total_count)
                break;
        }
        return { visibility: 'selected', selected_repository_ids: ids };
    }
    async function metadata(target) {
        const { base, params } = routes(target);
        try {
            const { data } = await call(target, 'read the secret', `GET ${base}/{secret_name}`, {
                ...params,
                secret_name: target.secretName,
            });
            return data;
        }
        catch (error) {
            if (error instanceof github_octokit.GitHubError && error.status === 404)
                return undefined;
            throw error;
        }
    }
    async function put(target, value, key) {
        const { base, params, org } = routes(target);
        const encrypted_value = await seal(value, key.key);
        const extra = org ? await access(target, org) : {};
        const { status } = await call(target, 'write the secret', `PUT ${base}/{secret_name}`, {
            ...params,
            ...extra,
            secret_name: target.secretName,
            encrypted_value,
            key_id: key.key_id,
        });
        return status;
    }
    return {
        async check(target) {
            const { org } = routes(target);
            const checked = Promise.all([
                publicKey(target),
                org && defaults.visibility === 'selected' ? defaultSelection(target, org) : undefined,
            ]);
            // The key check proves the target. libsodium loads once it has answered, in time for the writes: its
            // compiling would otherwise hold up the preflight's other requests.
            const warm = () => void loadSodium().catch(() => { });
            checked.then(warm, warm);
            await checked;
        },
        async write(target, value) {
            const since = Date.now() - CLOCK_TOLERANCE_MS;
            let status;
            try {
                status = await put(target, value, await publicKey(target));
            }
            catch (error) {
                // 422 can mean GitHub rotated the target's key since we read it: read it again and retry once.
                if (!(error instanceof github_octokit.GitHubError && error.status === 422))
                    throw error;
                status = await put(target, value, await publicKey(target, true));
            }
            // A write counts only once GitHub shows it: the secret's metadata, read back, has moved.
            const after = await metadata(target);
            const updatedAt = after ? Date.parse(after.updated_at) : Number.NaN;
            // Not a time at all counts as not confirmed, like an old one.
            if (!(updatedAt >= since)) {
                throw new github_octokit.GitHubError(0, `GitHub accepted the write, but reading the secret back shows ${after ? `it last updated ${(0,remote_text/* remoteText */.SW)(after.updated_at, 40)}` : 'no such secret'}`);
            }
            return { status: status === 201 ? 'created' : 'updated' };
        },
        async updatedAt(target) {
            const data = await metadata(target);
            return data ? Date.parse(data.updated_at) : undefined;
        },
        async proveWrite(target) {
            const scope = (0,targets/* formatScope */.gk)(target);
            let proof = proofs.get(scope);
            if (!proof) {
                proof = probe(target);
                proofs.set(scope, proof);
            }
            await proof;
            return 'proven';
        },
    };
    async function probe(target) {
        const { base, params, org } = routes(target);
        const throwAway = { ...target, secretName: WRITE_CHECK_SECRET };
        const key = await publicKey(target);
        await call(throwAway, 'prove it may write secrets here (a throw-away secret)', `PUT ${base}/{secret_name}`, {
            ...params,
            ...(org ? { visibility: 'private' } : {}),
            secret_name: WRITE_CHECK_SECRET,
            encrypted_value: await seal('write check', key.key),
            key_id: key.key_id,
        });
        try {
            await call(throwAway, `delete the throw-away secret ${WRITE_CHECK_SECRET}`, `DELETE ${base}/{secret_name}`, {
                ...params,
                secret_name: WRITE_CHECK_SECRET,
            });
        }
        catch (error) {
            // Another run's check deleted it first: the write is proven all the same.
            if (!(error instanceof github_octokit.GitHubError && error.status === 404))
                throw error;
        }
    }
}
/** What a refusal usually means for a secrets call, and what to change. */
const advice = (target) => (status) => {
    const permission = {
        repository: 'the repository permission "Secrets: read and write"',
        environment: 'the repository permissions "Secrets: read and write" and "Environments: read"',
        dependabot: 'the repository permission "Dependabot secrets: read and write"',
        organization: 'the organization permission "Secrets: read and write" (a classic token: admin:org)',
        'dependabot-organization': 'the organization permission "Dependabot secrets: read and write" (a classic token: admin:org)',
    };
    switch (status) {
        case 401:
            return 'The github-token is invalid or expired.';
        case 403:
            return !(0,targets/* isGitHubScope */.GR)(target)
                ? ''
                : `The github-token may not do this: it needs ${permission[target.kind]} (GITHUB_TOKEN never can).`;
        case 404:
            return !(0,targets/* isGitHubScope */.GR)(target)
                ? ''
                : target.kind === 'organization' || target.kind === 'dependabot-organization'
                    ? `The organization does not exist, or the token cannot see it; it needs ${permission[target.kind]}.`
                    : target.kind === 'environment'
                        ? 'The repository or environment does not exist, or the token cannot see it.'
                        : 'The repository does not exist, or the token cannot see it.';
        default:
            return '';
    }
};


/***/ }),

/***/ 5539:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createVariable: () => (/* binding */ createVariable)
/* harmony export */ });
/* harmony import */ var _octokit_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2887);
/**
 * The records the core keeps, as repository Actions variables of the workflow's repository, through the
 * variables REST API: the expiry record (when the current secret expires) and the outstanding-rotation
 * record (when a rotation whose secret is not stored yet was made). Times only, never a secret.
 */

function createVariable(octokit, options) {
    const [owner, repo] = options.repository.split('/');
    const { name } = options;
    /** What the last read found: a variable known to be missing is created at once, not after a failed update. */
    let exists;
    const advice = (status) => status === 403 || status === 404
        ? `The github-token needs the repository permission "Variables: read and write" on ${options.repository} (a GitHub App: the same permission) to keep ${options.purpose} in ${name}.`
        : status === 401
            ? 'The github-token is invalid or expired.'
            : '';
    return {
        name,
        async read() {
            try {
                const { data } = await (0,_octokit_js__WEBPACK_IMPORTED_MODULE_0__.request)(advice, `read the variable ${name}`, () => octokit.request('GET /repos/{owner}/{repo}/actions/variables/{name}', { owner, repo, name }));
                exists = true;
                return data.value;
            }
            catch (error) {
                // 404 is also what a token without the permission gets for a private repository: told apart by the list below.
                if (error instanceof _octokit_js__WEBPACK_IMPORTED_MODULE_0__.GitHubError && error.status === 404) {
                    await (0,_octokit_js__WEBPACK_IMPORTED_MODULE_0__.request)(advice, 'list the variables', () => octokit.request('GET /repos/{owner}/{repo}/actions/variables', { owner, repo, per_page: 1 }));
                    exists = false;
                    return undefined;
                }
                throw error;
            }
        },
        async write(value) {
            const create = () => (0,_octokit_js__WEBPACK_IMPORTED_MODULE_0__.request)(advice, `create the variable ${name}`, () => octokit.request('POST /repos/{owner}/{repo}/actions/variables', { owner, repo, name, value }));
            const update = () => (0,_octokit_js__WEBPACK_IMPORTED_MODULE_0__.request)(advice, `update the variable ${name}`, () => octokit.request('PATCH /repos/{owner}/{repo}/actions/variables/{name}', { owner, repo, name, value }));
            // Try what the last read suggests first; the other covers a variable made or removed since (409 or 404).
            const [first, second, fallbackOn] = exists === false ? [create, update, 409] : [update, create, 404];
            try {
                await first();
            }
            catch (error) {
                if (!(error instanceof _octokit_js__WEBPACK_IMPORTED_MODULE_0__.GitHubError && error.status === fallbackOn))
                    throw error;
                await second();
            }
            exists = true;
        },
        async clear() {
            if (exists === false)
                return;
            try {
                await (0,_octokit_js__WEBPACK_IMPORTED_MODULE_0__.request)(advice, `delete the variable ${name}`, () => octokit.request('DELETE /repos/{owner}/{repo}/actions/variables/{name}', { owner, repo, name }));
            }
            catch (error) {
                if (!(error instanceof _octokit_js__WEBPACK_IMPORTED_MODULE_0__.GitHubError && error.status === 404))
                    throw error;
            }
            exists = false;
        },
    };
}


/***/ })

};
