import BulwarkServices
import BulwarkStorage
import Foundation

/// `notes/`: every note, superusers only; list, retrieve, PUT and PATCH (no create or delete).
/// An edit sets `edited=true`, the editor and `edit_time`, and appends a history entry, as
/// DefectDojo's NoteSerializer.update does.
public enum NotesResource {
    public static let definition = ResourceDefinition(
        schema: NoteRendering.schema, component: "Note",
        policy: .superuserOnly,
        hooks: ResourceHooks(
            prepare: { _, mode, _, input in
                // `edited` is forced to true by the edit itself; the stored flag comes from recordEdit.
                if mode != .create { input.remove("edited") }
            },
            afterWrite: { context, mode, id, _ in
                guard mode != .create else { return }
                try await NoteService(db: context.db).recordEdit(noteID: id, editor: context.user.id, now: context.now)
            }),
        actions: [.list, .retrieve, .update])
}
