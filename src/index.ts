// Entry point of the bundled action (dist/index.js).
import { run } from './shell/main.js'

await run()
