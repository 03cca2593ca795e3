// Exercise list: create a plan, import a scenario YAML, take a scenario from the library.
import { post, announce } from "/static/js/api.js";
import { readFile, postFile } from "/static/js/exercise_common.js";

const goToPlan = (exercise) => {
  window.location.href = `/exercises/${exercise.id}`;
};

document.getElementById("new-form")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  try {
    const body = { title: form.elements.title.value, form: form.elements.form.value, draft: true };
    if (form.elements.date.value) body.date = form.elements.date.value;
    goToPlan(await post("/api/v1/exercises", body));
  } catch (err) {
    announce(err.message, "error");
  }
});

document.getElementById("import-form")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = document.getElementById("import-error");
  message.textContent = "";
  try {
    const file = await readFile(document.getElementById("import-file"));
    goToPlan(await postFile("/api/v1/exercises/import", file.buffer, "application/yaml"));
  } catch (err) {
    message.textContent = err.message;
  }
});

for (const button of document.querySelectorAll(".js-library")) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      goToPlan(await post(`/api/v1/exercises/library/${encodeURIComponent(button.dataset.file)}`));
    } catch (err) {
      button.disabled = false;
      announce(err.message, "error");
    }
  });
}
