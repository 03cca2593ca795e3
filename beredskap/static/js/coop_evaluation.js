// Evaluation page: the «Gjelder» choice of a fortløpende note fills its target and target_id.
function sync(select) {
  const form = select.form;
  const [target, id] = select.value.split(":");
  form.elements.target.value = target;
  form.elements.target_id.value = id || "";
}

document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-note-area]")) sync(event.target);
});
for (const select of document.querySelectorAll("select[data-note-area]")) sync(select);
