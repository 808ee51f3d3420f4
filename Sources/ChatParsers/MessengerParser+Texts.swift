import ChatModel

/// The English event texts that Messenger and Instagram store in `content` (catalogue §2.2 and §3), so that they are
/// classified as system notices, reactions, calls, polls, locations or media instead of user text.
///
/// Texts of the form `<actor> <event>` only count when the actor is the message's sender or `You`, so that a user
/// who types "I left the group." is not turned into a system line. Other languages are not recognised (their
/// messages stay `text`).
enum MessengerTexts {
    static func kind(of text: String, sender: String?) -> MessageKind? {
        if text.isEmpty { return nil }
        // texts without an actor
        if text.hasPrefix("Reacted ") && (text.hasSuffix(" to your message") || text.hasSuffix(" to your message.")) { return .reaction }
        if text == "Liked a message" || text == "Liked a message." { return .reaction }
        if text == "This poll is no longer available." || text.hasSuffix("'s poll has multiple updates.") { return .poll }
        if text == "The call ended." || text == "The video chat ended." || text == "The video call ended." { return .call }
        if text.hasPrefix("Missed ") && text.hasSuffix(" call.") || text == "Missed call" { return .call }

        // `<actor> <event>` with actor = sender or You
        var rest: Substring?
        if let s = sender, !s.isEmpty, text.hasPrefix(s + " ") { rest = text.dropFirst(s.count + 1) }
        else if text.hasPrefix("You ") { rest = text.dropFirst(4) }
        guard let r = rest else { return nil }
        func has(_ p: String) -> Bool { r.hasPrefix(p) }

        if has("reacted ") && (r.hasSuffix(" to your message") || r.hasSuffix(" to your message.") || r.contains(" to a message")) { return .reaction }
        if has("liked a message") { return .reaction }
        if has("unsent a message") { return .unsent }
        if has("created a poll: ") || (has("voted for ") && r.contains(" in the poll")) || has("changed their vote") { return .poll }
        if has("sent an attachment") { return .attachment }
        if has("sent a live location") || has("shared a location") || has("shared their location") || has("sent a location") { return .location }
        let mediaEvents = ["sent a photo", "sent a video", "sent a GIF", "sent a sticker", "sent a voice message",
                           "sent an audio clip", "sent a file", "sent photos", "sent videos"]
        if mediaEvents.contains(where: has) || (has("sent ") && (r.hasSuffix(" photos.") || r.hasSuffix(" videos."))) { return .media }
        let callEvents = ["called you", "missed your call", "missed a call", "missed a video call", "missed an audio call",
                          "started a call", "started a video call", "started a video chat", "started an audio call",
                          "joined the call", "joined the video chat", "joined the video call"]
        if callEvents.contains(where: { r == $0 || r == $0 + "." }) { return .call }
        // "You called Anna Schmidt." (a name, not a sentence)
        if text.hasPrefix("You called "), text.hasSuffix("."), r.split(separator: " ").count <= 5 { return .call }
        let systemEvents = ["named the group ", "changed the group name", "removed the group name", "changed the group photo",
                            "changed the group image", "created the group", "created group", "left the group",
                            "joined the group", "set the nickname for ", "set your nickname to ", "set her own nickname",
                            "set his own nickname", "set their own nickname", "set the nickname", "cleared the nickname",
                            "cleared your nickname", "cleared their nickname", "changed the theme", "changed the chat theme",
                            "set the emoji to ", "changed the emoji", "set the quick reaction", "pinned a message",
                            "unpinned a message", "turned on disappearing messages", "turned off disappearing messages",
                            "are now connected on Messenger"]
        if systemEvents.contains(where: has) { return .system }
        if has("added ") && (r.hasSuffix(" to the group.") || r.hasSuffix(" to the group")) { return .system }
        if has("removed ") && (r.hasSuffix(" from the group.") || r.hasSuffix(" from the group")) { return .system }
        if has("made ") && r.contains(" an admin") { return .system }
        return nil
    }
}
