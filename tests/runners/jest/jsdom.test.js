/** @jest-environment jsdom */
import { test, expect } from "@jest/globals";
import { domTests } from "../dom-tests.js";

domTests(test, expect);
