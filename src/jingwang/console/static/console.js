// Keyboard shortcuts for the decision form: one key per verdict or action, "c" claims,
// "r" focuses the reason, Ctrl+Enter submits. Keys typed into a field stay in the field.
document.addEventListener("keydown", (event) => {
  const typing = event.target.closest("input, textarea, select");
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    const form = document.getElementById("decision-form");
    if (form) { event.preventDefault(); form.requestSubmit(); }
    return;
  }
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "r") {
    const reason = document.getElementById("reason");
    if (reason) { event.preventDefault(); reason.focus(); }
    return;
  }
  const radio = document.querySelector(`input[type=radio][data-key="${event.key}"]`);
  if (radio) { radio.checked = true; return; }
  const option = document.querySelector(`option[data-key="${event.key}"]`);
  if (option) { option.selected = true; return; }
  const button = document.querySelector(`button[data-key="${event.key}"]`);
  if (button) button.click();
});
