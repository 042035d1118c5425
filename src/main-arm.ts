// Entry of the tsqemu-arm command: the only file in src/ that names a target.
import { arm } from '../targets/arm/index.js';
import { main } from './main.js';

main(process.argv.slice(2), arm);
