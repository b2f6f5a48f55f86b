// AES-GCM over OpenSSL EVP in WeChat Pay v3's layout: the 16-byte tag follows the
// ciphertext. WeChat encrypts notification resources with AES-256-GCM keyed by the
// merchant's 32-byte APIv3 key and a 12-character nonce; the key length picks AES-128/192/
// 256 (the official SDKs' published vectors use 16-byte keys) and any non-empty nonce
// length is accepted (one published vector uses a 16-byte IV).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace payhost::sandbox_wechat {

inline constexpr std::size_t kGcmTagBytes = 16;

// ciphertext || tag; nullopt for a key that is not 16, 24 or 32 bytes, an empty nonce or
// an OpenSSL failure.
std::optional<std::string> aes_gcm_seal(std::string_view key, std::string_view nonce,
                                        std::string_view aad, std::string_view plaintext);

// The plaintext, or nullopt when the tag does not authenticate (a wrong key, nonce, AAD or
// any changed byte), the input is shorter than a tag, or the key/nonce are unusable.
std::optional<std::string> aes_gcm_open(std::string_view key, std::string_view nonce,
                                        std::string_view aad, std::string_view ciphertext_and_tag);

}  // namespace payhost::sandbox_wechat
