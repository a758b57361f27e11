// The CredentialState (core/credential_state.h) of the credentials a cloud connector section
// uses, read from what is on disk, without asking the provider: a delegated sign-in kept in
// the encrypted TokenStore, or a certificate / key file that is the app's own credential.
// The connectors' ConnectorInfo::credential_status hooks are built from these.
#pragma once

#include <cstdint>
#include <string>

#include "core/credential_state.h"
#include "oauth/token_store.h"

namespace calsync::oauth {

// The sign-in kept in `store`, signed in again with the command `reauth`:
//   missing         nothing stored, no refresh token, or the store cannot be read (a wrong key,
//                   a key file others can read: the action then quotes the reason);
//   revoked         the provider's last answer was invalid_grant;
//   consent_missing the provider said consent (or an admin's grant) is missing;
//   expired         the end the provider announced for the refresh token has passed;
//   expiring        that end is less than kExpiringWithin away;
//   ok              otherwise.
CredentialState storedSignInState(const TokenStore& store, const std::string& name, const std::string& type,
                                  const std::string& reauth, std::int64_t now);

// A certificate the app signs its client assertions with: missing when the files cannot be
// read, expired / expiring by its notAfter, ok otherwise. `fix` says what to do about it.
CredentialState certificateState(const std::string& certificate_file, const std::string& private_key_file,
                                 const std::string& name, const std::string& type, const std::string& fix,
                                 std::int64_t now);

// The action for `state` of a sign-in fixed by running `reauth`.
std::string signInAction(const std::string& state, const std::string& reauth);

}  // namespace calsync::oauth
