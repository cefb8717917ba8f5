// The core flows in WebKitGTK (Debian's webkit2gtk-driver: WebKitWebDriver
// driving MiniBrowser with mock capture devices, under Xvfb).
import { coreFlows } from './flows.mjs';

coreFlows('webkit');
