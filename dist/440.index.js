export const id = 440;
export const ids = [440];
export const modules = {

/***/ 2440:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createSecretsManagerStore: () => (/* binding */ createSecretsManagerStore)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2994);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _proxy_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8903);
/* harmony import */ var _remote_text_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8217);
/* harmony import */ var _targets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8993);
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
    const client = (target) => {
        const region = (0,_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .awsRegionOf */ .jy)(target) ?? options.region;
        if (!region)
            throw new Error(`${(0,_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .formatScope */ .gk)(target)}: no AWS region: name the secret by its ARN, or set AWS_REGION.`);
        let c = clients.get(region);
        if (!c) {
            c = new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__/* .SecretsManagerClient */ ._H({
                region,
                maxAttempts: 5,
                // Through the runner's proxy, if it sets one.
                requestHandler: (0,_proxy_js__WEBPACK_IMPORTED_MODULE_1__/* .awsRequestHandler */ .lk)({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
            });
            clients.set(region, c);
        }
        return c;
    };
    const aws = (target) => {
        if (target.kind !== 'aws-secretsmanager')
            throw new Error(`${(0,_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .formatScope */ .gk)(target)} is not a Secrets Manager target`);
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
    /** The JSON object a #KEY target holds now; its string values are masked before anything could print them. */
    async function currentObject(target) {
        const { SecretString } = await send(target, 'GetSecretValue', () => client(target).send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__/* .GetSecretValueCommand */ .d2({ SecretId: target.secretId })));
        if (SecretString) {
            options.mask(SecretString);
            let value;
            try {
                value = JSON.parse(SecretString);
            }
            catch {
                value = undefined;
            }
            if (value && typeof value === 'object' && !Array.isArray(value)) {
                for (const v of Object.values(value))
                    if (typeof v === 'string' && v.length >= 4)
                        options.mask(v);
                return value;
            }
        }
        throw new Error(`${(0,_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .formatScope */ .gk)(target)}: the secret's value is not a JSON object, so key ${target.key} cannot be set in it. ` +
            `Store a JSON object there, or use aws-secretsmanager:${target.secretId} to replace the whole value.`);
    }
    return {
        async check(target) {
            const t = aws(target);
            await send(t, 'DescribeSecret', () => client(t).send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__/* .DescribeSecretCommand */ .X5({ SecretId: t.secretId })));
            if (t.key !== undefined)
                await currentObject(t);
        },
        async write(target, value, versionKey) {
            const t = aws(target);
            let secretString = value;
            if (t.key !== undefined)
                secretString = JSON.stringify({ ...(await currentObject(t)), [t.key]: value });
            options.mask(secretString);
            const token = clientRequestToken(`${versionKey}|${t.secretId}|${t.key ?? ''}`);
            const put = await send(t, 'PutSecretValue', () => client(t).send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__/* .PutSecretValueCommand */ .cp({ SecretId: t.secretId, SecretString: secretString, ClientRequestToken: token })));
            // Confirm that AWSCURRENT is the version just written.
            const { VersionIdsToStages = {} } = await send(t, 'DescribeSecret', () => client(t).send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__/* .DescribeSecretCommand */ .X5({ SecretId: t.secretId })));
            if (!put.VersionId || !VersionIdsToStages[put.VersionId]?.includes('AWSCURRENT')) {
                throw new Error(`${(0,_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .formatScope */ .gk)(t)}: the version written (${(0,_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(put.VersionId ?? 'none', 80)}) is not AWSCURRENT.`);
            }
            return { status: 'updated', version: put.VersionId };
        },
        async updatedAt(target) {
            const t = aws(target);
            const { LastChangedDate } = await send(t, 'DescribeSecret', () => client(t).send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__/* .DescribeSecretCommand */ .X5({ SecretId: t.secretId })));
            return LastChangedDate?.getTime();
        },
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
    const text = (0,_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(typeof e.message === 'string' ? e.message : String(error));
    const what = (0,_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .formatScope */ .gk)(target);
    if (name === 'CredentialsProviderError' || /could not load credentials/i.test(text)) {
        return `${what}: no AWS credentials were found. Add aws-actions/configure-aws-credentials before this step, with a role that may use this secret.`;
    }
    if (name === 'ResourceNotFoundException') {
        return `${what}: the secret does not exist (or is not visible to these credentials). Create it first: the action never creates or deletes a secret.`;
    }
    if (/AccessDenied|NotAuthorized|UnrecognizedClient|InvalidClientTokenId|KMS|Decrypt/i.test(name) || /kms/i.test(text)) {
        return (`${what}: AWS refused ${action} (${(0,_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(name, 80)}: ${text}). The role needs secretsmanager:DescribeSecret, ` +
            'secretsmanager:PutSecretValue (and secretsmanager:GetSecretValue for a #KEY target) on this secret, and kms:GenerateDataKey and kms:Decrypt on its key when it uses a customer managed key.');
    }
    if (name === 'ResourceExistsException') {
        return `${what}: Secrets Manager already holds a different value for this rotation's version (${(0,_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(name, 80)}); the secret was changed by someone else since. Check it and re-run.`;
    }
    if ((0,_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .networkCause */ .u6)(error))
        return `${what}: could not reach Secrets Manager for ${action} (${(0,_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .failureCause */ .i_)(error)}).`;
    return `${what}: Secrets Manager ${action} failed: ${name ? `${(0,_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .remoteText */ .SW)(name, 80)}: ` : ''}${text}`;
}


/***/ })

};
