// The public npm Efficy client (efficy-enterprise-api 1.0.28, written against real Enterprise
// servers) against crmsync's Efficy emulator. Each check uses the client as its own docs show;
// a mismatch means the emulator and the public client read the protocol differently.
// Usage: node conformance.mjs <base-url> <customer> <api-key>; the emulator must hold contacts
// 1..5, Profile 3 and user 169. Prints one line per check and "N passed, N failed"; exits 1 on a failure.
import { CrmEnv, CrmRpc } from "efficy-enterprise-api";

const [url, customer, apiKey] = process.argv.slice(2);
if (!url || !customer || !apiKey) {
  console.error("usage: node conformance.mjs <base-url> <customer> <api-key>");
  process.exit(2);
}

const crm = new CrmRpc(new CrmEnv({ url, customer, apiKey }));
let passed = 0;
let failed = 0;

async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function rejects(body, pattern) {
  try {
    await body();
  } catch (e) {
    expect(pattern.test(e.message), `error text "${e.message}" does not match ${pattern}`);
    return;
  }
  throw new Error("no error was reported");
}

async function prof(key) {
  const consult = crm.openConsultObject("Cont", key);
  const profiles = consult.getDetailDataSet("Prof");
  consult.closeContext();
  await crm.executeBatch();
  return (profiles.items || []).map(p => Number(p.K_PROFILE));
}

let session;

await check("current user", async () => {
  const id = crm.currentUserId;
  const code = crm.currentUserCode;
  const name = crm.currentUserFullName;
  await crm.executeBatch();
  expect(String(id.result) === "1", `currentuserid is ${id.result}`);
  expect(code.result === "APIUSER", `currentusername is ${code.result}`);
  expect(name.result === "API User", `currentuserfullname is ${name.result}`);
  session = crm.sessionId;
  expect(session, "no EfficySession cookie was kept");
});

await check("SQL with parameters", async () => {
  const rows = crm.executeSqlQuery("select K_CONTACT, NAME from CONTACTS where K_CONTACT = :p1 or K_CONTACT = :p2",
    ["3", "4"]);
  await crm.executeBatch();
  const keys = rows.items.map(r => Number(r.K_CONTACT)).sort();
  expect(JSON.stringify(keys) === "[3,4]", `rows ${JSON.stringify(keys)}`);
});

await check("consultmanyex with paired fields and values", async () => {
  const rows = crm.consultManyEx("Cont", ["K_CONTACT"], ["2"], "K_CONTACT");
  await crm.executeBatch();
  expect(rows.items.length === 1 && Number(rows.items[0].K_CONTACT) === 2, `rows ${JSON.stringify(rows.items)}`);
});

await check("search and consult", async () => {
  const consult = crm.openConsultObject("Cont", 5);
  const master = consult.getMasterDataSet();
  consult.closeContext();
  await crm.executeBatch();
  expect(Number(master.item.K_CONTACT) === 5, `consult master ${JSON.stringify(master.item)}`);
  const found = crm.search("Cont", "SEARCHFAST", master.item.NAME);
  await crm.executeBatch();
  expect(found.items.some(r => Number(r.K_CONTACT) === 5), "search did not find the contact");
});

await check("edit and read back", async () => {
  const edit = crm.openEditObject("Cont", 4);
  edit.updateField("NAME", "Edited by the npm client");
  edit.closingCommit();
  await crm.executeBatch();
  const consult = crm.openConsultObject("Cont", 4);
  const master = consult.getMasterDataSet();
  consult.closeContext();
  await crm.executeBatch();
  expect(master.item.NAME === "Edited by the npm client", `NAME is ${master.item.NAME}`);
});

await check("Profile detail insert and delete", async () => {
  const insert = crm.openEditObject("Cont", 4);
  insert.insertDetail("Prof", 3);
  insert.closingCommit();
  await crm.executeBatch();
  expect((await prof(4)).includes(3), "Profile 3 was not linked");
  const remove = crm.openEditObject("Cont", 4);
  remove.deleteDetail("Prof", 3);
  remove.closingCommit();
  await crm.executeBatch();
  expect(!(await prof(4)).includes(3), "Profile 3 is still linked");
});

await check("task creation with users", async () => {
  const task = crm.openEditObject("Acti", 0);
  task.insertDetail("Cont", 4);
  task.setUsers([169], true);
  task.updateFields({ SUBJECT: "Call back (npm conformance)", PLANNED: "0" });
  task.closingCommit();
  await crm.executeBatch();
  expect(Number(task.key) > 0, `the new task key is ${task.key}`);
  console.log(`     task key ${task.key}`);
});

await check("error text of a bad entity", async () => {
  const consult = crm.openConsultObject("Dummy", 1);
  consult.getMasterDataSet();
  await rejects(() => crm.executeBatch(), /Invalid Entity "Dummy"/);
  const id = crm.currentUserId;
  await crm.executeBatch();
  expect(String(id.result) === "1", "the batch after the error failed");
});

await check("error text of bad SQL", async () => {
  crm.executeSqlQuery("select * from fakeTable", []);
  await rejects(() => crm.executeBatch(), /EEfficyServerError.*fakeTable/i);
});

await check("kept session", async () => {
  const id = crm.currentUserId;
  await crm.executeBatch();
  expect(crm.sessionId === session, `the session changed from ${session} to ${crm.sessionId}`);
});

await check("logoff", async () => {
  crm.logoff();
  const id = crm.currentUserId;
  await crm.executeBatch();
  expect(String(id.result) === "1", "the logoff batch failed");
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
