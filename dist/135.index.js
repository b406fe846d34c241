export const id = 135;
export const ids = [135,590];
export const modules = {

/***/ 4135:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createDispatcher: () => (/* binding */ createDispatcher)
/* harmony export */ });
/* harmony import */ var _octokit_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6590);

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

/***/ 6590:
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
/* harmony import */ var _remote_text_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8217);
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
            const cause = (0,_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .failureCause */ .i_)(error);
            info(`GitHub API ${new URL(options.baseUrl).host} (github-api-url) could not be reached: ${cause}.`);
            throw new NetworkError(`could not reach github-api-url ${new URL(options.baseUrl).origin} (${cause})`, error);
        }
    };
    const onLimit = (kind) => (retryAfter, request, _octokit, retryCount) => {
        const retrying = retryCount < RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;
        warn(`GitHub ${kind} rate limit on ${request.method} ${(0,_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(request.url, 200)}; ${retrying ? `retrying in ${retryAfter} s` : 'giving up'}.`);
        return retrying;
    };
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(options.token, {
        baseUrl: options.baseUrl,
        request: { fetch: timedFetch },
        throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
        // Octokit's own notices (deprecations, with GitHub's headers in them) are remote text too.
        log: {
            debug: () => { },
            info: () => { },
            warn: (message) => warn((0,_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(message)),
            error: (message) => warn((0,_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(message)),
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
            const cause = network?.message ?? `could not reach github-api-url (${(0,_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .networkCause */ .u6)(error) ?? (0,_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(e.name ?? 'request failed', 60)})`;
            throw new GitHubError(0, `could not ${what}: ${cause}.`);
        }
        const status = typeof e.status === 'number' ? e.status : 0;
        // GitHub's own message only, neutralised: the Octokit error also carries the request, body included.
        const detail = typeof e.response.data?.message === 'string' ? (0,_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(e.response.data.message) : `HTTP ${status}`;
        const hint = advice(status);
        throw new GitHubError(status, `could not ${what}: HTTP ${status}${detail === `HTTP ${status}` ? '' : ` ${detail}`}.${hint ? ` ${hint}` : ''}`);
    }
}


/***/ })

};
