import ChatModel

/// First NUL byte or invalid UTF-8 sequence in a chunk, with a readable reason (the project's one validator).
func firstInvalidUTF8(_ bytes: UnsafeRawBufferPointer) -> (offset: Int, reason: String)? {
    UTF8Validation.firstProblem(bytes, rejectNUL: true).map { (offset: $0.offset, reason: $0.problem.description) }
}
