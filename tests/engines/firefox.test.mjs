// The core flows in Firefox ESR (Debian's firefox-esr, geckodriver from crates.io).
import { coreFlows } from './flows.mjs';

coreFlows('firefox');
