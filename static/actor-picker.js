// The speaker picker: type part of a name or alias into <input data-actor-picker> and choose
// an actor from the list under it (arrow keys and Enter, or a click). The choice fills the
// field with the actor's name and the form's [data-actor-picker-id] with its id; without
// this script the field is a plain text input the server resolves by name.
(function () {
  "use strict";
  var counter = 0;

  function attach(input) {
    var form = input.form;
    var hidden = form ? form.querySelector("[data-actor-picker-id]") : null;
    var listId = "actor-picker-" + (++counter);
    var wrapper = document.createElement("div");
    wrapper.className = "picker";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    wrapper.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var actor = items[index];
      if (!actor) return;
      input.value = actor.name;
      if (hidden) hidden.value = String(actor.id);
      close();
    }

    function show(found) {
      items = found;
      list.textContent = "";
      if (!found.length) {
        var none = document.createElement("li");
        none.className = "picker-none";
        none.textContent = "No actor by that name: check the spelling, or add a new speaker.";
        list.appendChild(none);
      }
      found.forEach(function (actor, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "picker-name";
        name.textContent = actor.name;
        option.appendChild(name);
        var detail = document.createElement("span");
        detail.className = "picker-detail";
        detail.textContent = actor.kind + " · " + actor.statement_count + " claims" +
          (actor.matched_alias ? " · also “" + actor.matched_alias + "”" : "");
        option.appendChild(detail);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();  // keep the focus in the field
          choose(i);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(found.length ? 0 : -1);
    }

    function ask() {
      var typed = input.value.trim();
      if (typed.length < 2) { close(); return; }
      var mine = ++asked;
      fetch("/api/actors/suggest?q=" + encodeURIComponent(typed), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (found) { if (mine === asked) show(found); })
        .catch(close);
    }

    input.addEventListener("input", function () {
      if (hidden) hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "ArrowDown") { ask(); event.preventDefault(); }
        return;
      }
      if (event.key === "ArrowDown") {
        highlight(Math.min(active + 1, items.length - 1));
        event.preventDefault();
      } else if (event.key === "ArrowUp") {
        highlight(Math.max(active - 1, 0));
        event.preventDefault();
      } else if (event.key === "Enter") {
        if (active >= 0) { choose(active); event.preventDefault(); }
      } else if (event.key === "Escape") {
        close();
        event.preventDefault();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("input[data-actor-picker]").forEach(attach);
})();
