// @vitest-environment jsdom
import { test, expect } from "vitest";
import { domTests } from "../dom-tests.js";

domTests(test, expect);
