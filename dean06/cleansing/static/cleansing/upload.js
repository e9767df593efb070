// Upload progress of a form sent by htmx (hx-post with multipart encoding): the <progress> inside the form
// follows the bytes sent. Without JavaScript the form posts normally and the page reloads.
document.addEventListener("htmx:xhr:progress", (event) => {
  const bar = event.target.closest("form")?.querySelector("progress[data-upload]");
  if (bar && event.detail.lengthComputable) {
    bar.hidden = false;
    bar.max = event.detail.total;
    bar.value = event.detail.loaded;
  }
});
