import { arm } from '../targets/arm/index.js';
import { main } from './main.js';
import { startupSnapshot } from 'node:v8';
startupSnapshot.setDeserializeMainFunction(() => main(process.argv.slice(1), arm));
