// The phone's first page: opening the link is a POST, so that a GET of the link (a chat app's
// preview, a mail scanner) does not use it up. A browser that runs this sends it at once;
// without script, the button does.
const form = document.getElementById("handoff-open");
if (form) form.requestSubmit ? form.requestSubmit() : form.submit();
