// Preloaded with --import: appends the URL of every ES module the process loads to $MODULE_LOG, so a test
// can tell which bundle chunks a run needed.
import { appendFileSync } from 'node:fs'
import { registerHooks } from 'node:module'

registerHooks({
  load(url, context, next) {
    appendFileSync(process.env.MODULE_LOG!, `${url}\n`)
    return next(url, context)
  },
})
